variable "rotate" {}

resource "aws_kms_key" "data" {
  description             = "data"
  enable_key_rotation     = true
  rotation_period_in_days = 180
}

# asymmetric keys cannot rotate automatically
resource "aws_kms_key" "signing" {
  description              = "signing"
  customer_master_key_spec = "ECC_NIST_P256"
  key_usage                = "SIGN_VERIFY"
}

# HMAC keys cannot rotate automatically
resource "aws_kms_key" "hmac" {
  description              = "hmac"
  customer_master_key_spec = "HMAC_256"
  key_usage                = "GENERATE_VERIFY_MAC"
}

# keys in a custom key store cannot rotate automatically
resource "aws_kms_key" "cloudhsm" {
  description         = "cloudhsm"
  custom_key_store_id = "cks-1234567890abcdef0"
}

# unresolvable: unknown is never reported as a failure
resource "aws_kms_key" "configurable" {
  description         = "configurable"
  enable_key_rotation = var.rotate
}
