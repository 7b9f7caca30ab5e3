resource "aws_iam_role_policy_attachment" "ci_admin" {
  role       = aws_iam_role.ci.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_group_policy_attachment" "ops_admin" {
  group      = "ops"
  policy_arn = "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  managed_policy_arns = [
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
    "arn:aws:iam::aws:policy/AdministratorAccess",
  ]
}

resource "aws_iam_user_policy_attachments_exclusive" "deploy" {
  user_name   = "deploy"
  policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}
