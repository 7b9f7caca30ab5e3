variable "encrypt_by_default" {}

resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}

# omitted: the resource's default is true
resource "aws_ebs_encryption_by_default" "implicit" {
}

# unresolvable: unknown is never reported as a failure
resource "aws_ebs_encryption_by_default" "configurable" {
  enabled = var.encrypt_by_default
}
