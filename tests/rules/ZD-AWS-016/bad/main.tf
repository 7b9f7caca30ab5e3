resource "aws_s3_bucket" "data" {
  bucket = "corp-data"
}

resource "aws_s3_bucket" "legacy" {
  bucket = "corp-legacy"

  versioning {
    enabled = false
  }
}

resource "aws_s3_bucket" "reports" {
  bucket = "corp-reports"
}

resource "aws_s3_bucket_versioning" "reports" {
  bucket = aws_s3_bucket.reports.id

  versioning_configuration {
    status = "Suspended"
  }
}

# the versioning resource below belongs to a different bucket
resource "aws_s3_bucket" "exports" {
  bucket = "corp-exports"
}

resource "aws_s3_bucket" "exports_archive" {
  bucket = "corp-exports-archive"
}

resource "aws_s3_bucket_versioning" "exports_archive" {
  bucket = aws_s3_bucket.exports_archive.id

  versioning_configuration {
    status = "Enabled"
  }
}
