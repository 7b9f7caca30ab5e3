resource "aws_lambda_function_url" "webhook" {
  function_name      = "webhook"
  authorization_type = "NONE"

  cors {
    allow_origins = ["https://example.com"]
    allow_methods = ["POST"]
  }
}
