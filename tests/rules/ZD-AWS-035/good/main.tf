variable "trusted_principal" {}

# a wildcard principal restricted to the organization
resource "aws_iam_role" "org_only" {
  name = "org-only"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "sts:AssumeRole"
        Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } }
      }
    ]
  })
}

resource "aws_iam_role" "service" {
  name = "service"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" },
      { Effect = "Deny", Principal = "*", Action = "sts:AssumeRole" }
    ]
  })
}

# unresolvable: unknown is never reported as a failure
resource "aws_iam_role" "configurable" {
  name = "configurable"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = var.trusted_principal }, Action = "sts:AssumeRole" }]
  })
}

# a public read statement of a bucket policy is not a trust statement
data "aws_iam_policy_document" "public_read" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::public-assets/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

# a third party that must present the agreed external id
data "aws_iam_policy_document" "vendor_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = ["4f1c1b1e-vendor"]
    }
  }
}
