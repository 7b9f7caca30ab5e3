variable "source_bucket" {}

# a logging resource whose bucket cannot be resolved may be this bucket's
resource "aws_s3_bucket" "data" {
  bucket = "corp-data"
}

resource "aws_s3_bucket_logging" "data" {
  bucket        = var.source_bucket
  target_bucket = "corp-access-logs"
  target_prefix = "data/"
}
