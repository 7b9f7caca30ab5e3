variable "users" {}

resource "aws_iam_group_policy_attachment" "readers" {
  group      = "readers"
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_user_group_membership" "deploy" {
  user   = "deploy"
  groups = ["readers"]
}

resource "aws_iam_policy_attachment" "groups_only" {
  name       = "groups-only"
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
  groups     = ["readers"]
  roles      = ["app"]
}

# enforces that the user has no attached policies
resource "aws_iam_user_policy_attachments_exclusive" "none" {
  user_name   = "deploy"
  policy_arns = []
}

# unresolvable: unknown is never reported as a failure
resource "aws_iam_policy_attachment" "configurable" {
  name       = "configurable"
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
  users      = var.users
}
