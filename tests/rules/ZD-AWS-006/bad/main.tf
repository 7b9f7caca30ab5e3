variable "block_policy" {
  default = false
}

resource "aws_s3_bucket_public_access_block" "website" {
  bucket                  = "corp-website"
  block_public_acls       = true
  block_public_policy     = var.block_policy
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# omitted settings are false once the block is declared
resource "aws_s3_bucket_public_access_block" "partial" {
  bucket            = "corp-partial"
  block_public_acls = true
}

resource "aws_s3_account_public_access_block" "account" {
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = "false"
  restrict_public_buckets = true
}
