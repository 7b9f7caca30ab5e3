resource "aws_s3_bucket" "data" {
  bucket = "corp-data"
}

# no logging resource names "reports"; "access_logs" receives the logs of "exports"
resource "aws_s3_bucket" "reports" {
  bucket = "corp-reports"
}

resource "aws_s3_bucket" "access_logs" {
  bucket = "corp-access-logs"
}

resource "aws_s3_bucket_logging" "exports" {
  bucket        = aws_s3_bucket.exports.id
  target_bucket = aws_s3_bucket.access_logs.id
  target_prefix = "exports/"
}

resource "aws_s3_bucket" "exports" {
  bucket = "corp-exports"
}
