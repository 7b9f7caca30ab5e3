resource "aws_iam_role" "open" {
  name = "open"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "sts:AssumeRole"
      }
    ]
  })
}

# MFA says nothing about which account the caller belongs to
resource "aws_iam_role" "mfa_only" {
  name               = "mfa-only"
  assume_role_policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": "*",
          "Action": "sts:AssumeRole",
          "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
        }
      ]
    }
  EOT
}

data "aws_iam_policy_document" "trust_everyone" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root", "*"]
    }
  }
}

resource "aws_iam_role" "from_document" {
  name               = "from-document"
  assume_role_policy = data.aws_iam_policy_document.trust_everyone.json
}
