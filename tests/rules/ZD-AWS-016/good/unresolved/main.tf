variable "bucket_name" {}
variable "status" {}

# a versioning resource whose bucket cannot be resolved may be this bucket's
resource "aws_s3_bucket" "data" {
  bucket = "corp-data"
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = var.bucket_name

  versioning_configuration {
    status = var.status
  }
}
