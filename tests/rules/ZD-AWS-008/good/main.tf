variable "key_status" {}

resource "aws_iam_user" "deploy" {
  name = "deploy"
}

# a deactivated key kept only for the rotation hand-over
resource "aws_iam_access_key" "retired" {
  user   = aws_iam_user.deploy.name
  status = "Inactive"
}

# unresolvable: unknown is never reported as a failure
resource "aws_iam_access_key" "configurable" {
  user   = aws_iam_user.deploy.name
  status = var.key_status
}
