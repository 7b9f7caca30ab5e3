variable "insecure_value" {}

resource "aws_s3_bucket_policy" "internal" {
  bucket = "corp-internal"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = { AWS = "*" }
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::corp-internal", "arn:aws:s3:::corp-internal/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = data.aws_iam_policy_document.data.json
}

resource "aws_s3_bucket" "data" {
  bucket = "corp-data"
}

data "aws_iam_policy_document" "data" {
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

# merged with documents whose statements are not visible here
resource "aws_s3_bucket_policy" "merged" {
  bucket = "corp-merged"
  policy = data.aws_iam_policy_document.merged.json
}

data "aws_iam_policy_document" "merged" {
  source_policy_documents = [data.aws_iam_policy_document.data.json]

  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::corp-merged/*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}

# unresolvable: unknown is never reported as a failure
resource "aws_s3_bucket_policy" "configurable" {
  bucket = "corp-configurable"
  policy = data.aws_iam_policy_document.configurable.json
}

data "aws_iam_policy_document" "configurable" {
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::corp-configurable/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = [var.insecure_value]
    }
  }
}
