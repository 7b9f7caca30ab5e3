resource "aws_iam_policy" "launcher" {
  name = "launcher"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["ec2:RunInstances", "iam:PassRole"]
        Resource = "*"
      }
    ]
  })
}

# iam:PassedToService limits the service, not which role is passed
resource "aws_iam_role_policy" "ci" {
  name   = "ci"
  role   = "ci"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": "iam:*",
          "Resource": "arn:aws:iam::111122223333:role/*",
          "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}
        }
      ]
    }
  EOT
}

resource "aws_iam_role" "deployer" {
  name               = "deployer"
  assume_role_policy = "{}"

  inline_policy {
    name = "pass"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "iam:Pass*", Resource = ["arn:aws:s3:::artifacts", "*"] }]
    })
  }
}

data "aws_iam_policy_document" "pipeline" {
  statement {
    actions   = ["ecs:RunTask"]
    resources = ["*"]
  }

  statement {
    actions   = ["iam:PassRole"]
    resources = ["arn:aws:iam::*:role/*"]
  }
}
