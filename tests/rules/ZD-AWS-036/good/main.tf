variable "policy_arn" {}

resource "aws_iam_role_policy_attachment" "read_only" {
  role       = "ci"
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

# a service-scoped managed policy, not full administrator access
resource "aws_iam_role_policy_attachment" "amplify" {
  role       = "amplify"
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess-Amplify"
}

# a customer managed policy that happens to carry the same name
resource "aws_iam_user_policy_attachment" "custom" {
  user       = "deploy"
  policy_arn = "arn:aws:iam::111122223333:policy/AdministratorAccess"
}

# unresolvable: unknown is never reported as a failure
resource "aws_iam_role_policy_attachment" "configurable" {
  role       = "ci"
  policy_arn = var.policy_arn
}

resource "aws_iam_role" "app" {
  name                = "app"
  assume_role_policy  = "{}"
  managed_policy_arns = [aws_iam_policy.app.arn]
}
