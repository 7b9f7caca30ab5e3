resource "aws_s3_bucket" "site" {
  bucket = "corp-site"
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "PublicRead",
          "Effect": "Allow",
          "Principal": "*",
          "Action": "s3:GetObject",
          "Resource": "arn:aws:s3:::corp-site/*"
        }
      ]
    }
  EOT
}

# a condition on aws:SecureTransport does not say who the caller is
resource "aws_s3_bucket_policy" "uploads" {
  bucket = "corp-uploads"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = ["arn:aws:iam::111122223333:role/app", "*"] }
      Action    = ["s3:PutObject"]
      Resource  = "arn:aws:s3:::corp-uploads/*"
      Condition = { Bool = { "aws:SecureTransport" = "true" } }
    }]
  })
}

resource "aws_s3_bucket_policy" "shared" {
  bucket = aws_s3_bucket.shared.id
  policy = data.aws_iam_policy_document.shared.json
}

resource "aws_s3_bucket" "shared" {
  bucket = "corp-shared"
}

data "aws_iam_policy_document" "shared" {
  statement {
    sid       = "EveryoneRead"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = [aws_s3_bucket.shared.arn, "${aws_s3_bucket.shared.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }

  # a wildcard value does not pin the caller
  statement {
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.shared.arn}/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "StringLike"
      variable = "aws:SourceVpce"
      values   = ["vpce-*"]
    }
  }
}

# IfExists lets requests without the key through: not a restriction
resource "aws_s3_bucket_policy" "partners" {
  bucket = "corp-partners"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::corp-partners/*"
      Condition = { StringEqualsIfExists = { "aws:SourceVpce" = "vpce-1a2b3c4d" } }
    }]
  })
}
