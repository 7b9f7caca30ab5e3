resource "aws_iam_user" "deploy" {
  name = "deploy"
}

resource "aws_iam_user_policy" "deploy_inline" {
  name = "deploy-s3"
  user = aws_iam_user.deploy.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:PutObject", Resource = "arn:aws:s3:::artifacts/*" }]
  })
}

resource "aws_iam_user_policy_attachment" "deploy_read" {
  user       = aws_iam_user.deploy.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_policy_attachment" "shared" {
  name       = "shared"
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
  groups     = ["readers"]
  users      = [aws_iam_user.deploy.name]
}

resource "aws_iam_user_policy_attachments_exclusive" "deploy" {
  user_name   = aws_iam_user.deploy.name
  policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
}
