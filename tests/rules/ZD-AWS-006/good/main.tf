variable "restrict" {}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = "corp-data"
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# unresolvable: unknown is never reported as a failure
resource "aws_s3_bucket_public_access_block" "configurable" {
  bucket                  = "corp-configurable"
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = var.restrict
}

resource "aws_s3_account_public_access_block" "account" {
  block_public_acls       = "true"
  block_public_policy     = "true"
  ignore_public_acls      = "true"
  restrict_public_buckets = "true"
}
