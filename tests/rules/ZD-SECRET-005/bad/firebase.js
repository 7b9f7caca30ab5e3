export const firebaseConfig = {
  apiKey: "AIzaAyWREQfGYqQ1fBfDT1_AVvIiFMCA9qRZA6g",
  authDomain: "demo-app.firebaseapp.com",
  projectId: "demo-app",
};
