export const firebaseConfig = {
  apiKey: process.env.FIREBASE_API_KEY,
  authDomain: "demo-app.firebaseapp.com",
  projectId: "demo-app",
};
