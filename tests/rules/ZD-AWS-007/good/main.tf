variable "actions" {}

resource "aws_iam_policy" "scoped" {
  name = "scoped"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "s3:*", Resource = "*" },
      { Effect = "Allow", Action = "*", Resource = "arn:aws:s3:::artifacts/*" },
      { Effect = "Deny", Action = "*", Resource = "*" }
    ]
  })
}

# unresolvable: unknown is never reported as a failure
resource "aws_iam_user_policy" "configurable" {
  name = "configurable"
  user = "deploy"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = var.actions, Resource = "*" }]
  })
}

# the document is judged where it is written (the data source), not here
resource "aws_iam_group_policy" "from_document" {
  name   = "from-document"
  group  = "ops"
  policy = data.aws_iam_policy_document.readonly.json
}

data "aws_iam_policy_document" "readonly" {
  statement {
    actions   = ["ec2:Describe*"]
    resources = ["*"]
  }

  statement {
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]
  }
}
