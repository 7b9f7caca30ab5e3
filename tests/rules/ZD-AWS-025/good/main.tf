variable "http_tokens" {}

resource "aws_launch_template" "web" {
  name_prefix = "web-"
  image_id    = "ami-0abcdef1234567890"

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }
}

resource "aws_launch_configuration" "batch" {
  name_prefix   = "batch-"
  image_id      = "ami-0abcdef1234567890"
  instance_type = "t3.micro"

  metadata_options {
    http_endpoint = "disabled"
  }
}

# unresolvable: unknown is never reported as a failure
resource "aws_launch_template" "configurable" {
  name_prefix = "configurable-"
  image_id    = "ami-0abcdef1234567890"

  metadata_options {
    http_tokens = var.http_tokens
  }
}
