variable "encrypt_by_default" {
  default = false
}

resource "aws_ebs_encryption_by_default" "this" {
  enabled = false
}

provider "aws" {
  alias  = "dr"
  region = "eu-central-1"
}

resource "aws_ebs_encryption_by_default" "dr" {
  provider = aws.dr
  enabled  = var.encrypt_by_default
}
