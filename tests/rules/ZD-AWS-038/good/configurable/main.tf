variable "min_length" {}
variable "reuse" {}
variable "require_symbols" {}

# unresolvable: unknown is never reported as a failure
resource "aws_iam_account_password_policy" "configurable" {
  minimum_password_length      = var.min_length
  password_reuse_prevention    = var.reuse
  require_lowercase_characters = true
  require_uppercase_characters = true
  require_numbers              = true
  require_symbols              = var.require_symbols
}
