resource "aws_kms_key" "shared" {
  description         = "shared"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Admin"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "EveryoneDecrypt"
        Effect    = "Allow"
        Principal = { AWS = ["arn:aws:iam::111122223333:role/app", "*"] }
        Action    = ["kms:Decrypt", "kms:DescribeKey"]
        Resource  = "*"
      }
    ]
  })
}

# TLS says nothing about who the caller is
resource "aws_kms_key_policy" "tls_only" {
  key_id = "1234abcd-12ab-34cd-56ef-1234567890ab"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": "*",
          "Action": "kms:*",
          "Resource": "*",
          "Condition": {"Bool": {"aws:SecureTransport": "true"}}
        }
      ]
    }
  EOT
}

data "aws_iam_policy_document" "key" {
  statement {
    sid       = "Use"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
