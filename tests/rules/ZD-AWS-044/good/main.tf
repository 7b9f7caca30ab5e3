variable "log_destination" {}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "a1b2c3d4e5"
  deployment_id = "abc123"
  stage_name    = "prod"

  access_log_settings {
    destination_arn = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/apigateway/prod"
    format          = jsonencode({ requestId = "$context.requestId", ip = "$context.identity.sourceIp", status = "$context.status" })
  }
}

# unresolvable: unknown is never reported as a failure
resource "aws_apigatewayv2_stage" "default" {
  api_id      = "f6g7h8i9j0"
  name        = "$default"
  auto_deploy = true

  access_log_settings {
    destination_arn = var.log_destination
    format          = "$context.requestId $context.identity.sourceIp $context.status"
  }
}
