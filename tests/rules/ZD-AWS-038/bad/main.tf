resource "aws_iam_account_password_policy" "weak" {
  minimum_password_length        = 8
  password_reuse_prevention      = 5
  require_lowercase_characters   = true
  require_uppercase_characters   = true
  require_numbers                = true
  require_symbols                = false
  allow_users_to_change_password = true
}
