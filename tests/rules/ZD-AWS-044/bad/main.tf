resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "a1b2c3d4e5"
  deployment_id = "abc123"
  stage_name    = "prod"

  xray_tracing_enabled = true
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = "f6g7h8i9j0"
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = 100
    throttling_rate_limit  = 50
  }
}
