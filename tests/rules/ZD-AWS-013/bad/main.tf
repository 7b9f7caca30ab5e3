resource "aws_kms_key" "data" {
  description             = "data"
  deletion_window_in_days = 30
}

resource "aws_kms_key" "logs" {
  description              = "logs"
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  key_usage                = "ENCRYPT_DECRYPT"
  enable_key_rotation      = false
}
