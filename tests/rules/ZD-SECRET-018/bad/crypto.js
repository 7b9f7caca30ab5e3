const crypto = require("crypto");

const MASTER_B64 = "cmH8YdFqK0C41Kht/PZZlgGag224R4fTVoX0KKVkuqQY";
module.exports = { master: Buffer.from(MASTER_B64, "base64") };
