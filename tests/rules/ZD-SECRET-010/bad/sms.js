const twilio = require("twilio");

const client = twilio("SK7d762c3c3f0d9cd17368af453cf3f27c", process.env.TWILIO_API_SECRET, {
  accountSid: "AC93ad91675d41a7c594b038523726509b",
});
