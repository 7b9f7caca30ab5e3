resource "aws_s3_bucket" "inline" {
  bucket = "corp-inline"

  logging {
    target_bucket = "corp-access-logs"
    target_prefix = "inline/"
  }
}

resource "aws_s3_bucket" "data" {
  bucket = "corp-data"
}

resource "aws_s3_bucket_logging" "data" {
  bucket        = aws_s3_bucket.data.id
  target_bucket = aws_s3_bucket.access_logs.id
  target_prefix = "data/"
}

# receives the access logs of the buckets above (by reference and by name)
resource "aws_s3_bucket" "access_logs" {
  bucket = "corp-access-logs"
}
