# zerodrift:ignore ZD-AWS-001
resource "aws_security_group" "no_reason" {
  name = "a"
}

# zerodrift:ignore ZD-AWS-001 reason="temporary exception for the migration" expires=2020-01-31
resource "aws_security_group" "expired" {
  name = "b"
}

resource "aws_security_group" "misspelt" {
  name = "c" # zerodrift:ignore ZD-AWS-901 reason="typo in the id"
}

resource "aws_security_group" "bad_date" {
  # zerodrift:ignore ZD-AWS-001 reason="until the audit" expires=next-year
  name = "d"
}
