variable "auth_type" {}

resource "aws_lambda_function_url" "internal" {
  function_name      = "internal"
  authorization_type = "AWS_IAM"
}

# unresolvable: unknown is never reported as a failure
resource "aws_lambda_function_url" "configurable" {
  function_name      = "configurable"
  authorization_type = var.auth_type
}
