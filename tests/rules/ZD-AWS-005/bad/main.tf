resource "aws_s3_bucket" "data" {
  bucket = "corp-data"
}

resource "aws_s3_bucket" "logs" {
  bucket = "corp-logs"
}

# blocks a different bucket whose name merely starts with "logs"
resource "aws_s3_bucket" "logs_archive" {
  bucket = "corp-logs-archive"
}

resource "aws_s3_bucket_public_access_block" "logs_archive" {
  bucket                  = aws_s3_bucket.logs_archive.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
