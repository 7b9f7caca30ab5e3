variable "key_users" {}

resource "aws_kms_key" "scoped" {
  description         = "scoped"
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
        # the AWS managed key pattern: any principal, but only through one service in one account
        Sid       = "ViaSecretsManager"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
        Condition = {
          StringEquals = {
            "kms:CallerAccount" = "111122223333"
            "kms:ViaService"    = "secretsmanager.eu-west-1.amazonaws.com"
          }
        }
      },
      { Sid = "NoDelete", Effect = "Deny", Principal = "*", Action = "kms:ScheduleKeyDeletion", Resource = "*" }
    ]
  })
}

# unresolvable: unknown is never reported as a failure
resource "aws_kms_key" "configurable" {
  description         = "configurable"
  enable_key_rotation = true
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = var.key_users }, Action = "kms:Decrypt", Resource = "*" }]
  })
}

# a public-read bucket policy document is not a key policy
data "aws_iam_policy_document" "bucket" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::public-assets/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

data "aws_iam_policy_document" "org_key" {
  statement {
    actions   = ["kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-a1b2c3d4e5"]
    }
  }
}
