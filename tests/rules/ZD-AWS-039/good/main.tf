variable "role_arns" {}

resource "aws_iam_policy" "scoped" {
  name = "scoped"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "iam:PassRole"
        Resource  = ["arn:aws:iam::111122223333:role/app-lambda-exec", "arn:aws:iam::111122223333:role/app-*"]
        Condition = { StringEquals = { "iam:PassedToService" = "lambda.amazonaws.com" } }
      },
      { Effect = "Allow", Action = ["iam:GetRole", "iam:ListRoles"], Resource = "*" },
      { Effect = "Deny", Action = "iam:PassRole", Resource = "*" }
    ]
  })
}

# every action on every resource is ZD-AWS-007's finding, not reported twice
resource "aws_iam_role_policy" "admin" {
  name = "admin"
  role = "break-glass"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

# only roles tagged for the team can be passed
data "aws_iam_policy_document" "tagged" {
  statement {
    actions   = ["iam:PassRole"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "iam:ResourceTag/team"
      values   = ["payments"]
    }
  }
}

# unresolvable: unknown is never reported as a failure
resource "aws_iam_user_policy" "configurable" {
  name = "configurable"
  user = "deploy"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PassRole", Resource = var.role_arns }]
  })
}
