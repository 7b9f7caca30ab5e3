resource "aws_iam_user" "deploy" {
  name = "deploy"
}

resource "aws_iam_access_key" "deploy" {
  user = aws_iam_user.deploy.name
}

resource "aws_iam_access_key" "ci" {
  user    = "ci"
  pgp_key = "keybase:ops"
  status  = "Active"
}
