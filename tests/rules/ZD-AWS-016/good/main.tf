variable "versioning_enabled" {}

resource "aws_s3_bucket" "inline" {
  bucket = "corp-inline"

  versioning {
    enabled = true
  }
}

# managed by a separate resource, found by reference
resource "aws_s3_bucket" "data" {
  bucket = "corp-data"
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id

  versioning_configuration {
    status = "Enabled"
  }
}

# found by literal bucket name
resource "aws_s3_bucket" "reports" {
  bucket = "corp-reports"
}

resource "aws_s3_bucket_versioning" "reports" {
  bucket = "corp-reports"

  versioning_configuration {
    status = "Enabled"
  }
}

# Object Lock turns versioning on
resource "aws_s3_bucket" "vault" {
  bucket              = "corp-vault"
  object_lock_enabled = true
}

# unresolvable: unknown is never reported as a failure
resource "aws_s3_bucket" "configurable" {
  bucket = "corp-configurable"

  versioning {
    enabled = var.versioning_enabled
  }
}
