variable "acl" {}

resource "aws_s3_bucket" "private" {
  bucket = "private"
  acl    = "private"
}

resource "aws_s3_bucket" "logs" {
  bucket = "logs"
  acl    = "log-delivery-write"
}

# unresolvable: unknown is never reported as a failure
resource "aws_s3_bucket" "configurable" {
  bucket = "configurable"
  acl    = var.acl
}

resource "aws_s3_bucket_acl" "private" {
  bucket = aws_s3_bucket.private.id
  acl    = "private"
}

resource "aws_s3_bucket_acl" "log_delivery_group" {
  bucket = aws_s3_bucket.logs.id

  access_control_policy {
    grant {
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/s3/LogDelivery"
      }
      permission = "WRITE"
    }

    owner {
      id = "1234abcd"
    }
  }
}
