resource "aws_launch_template" "web" {
  name_prefix   = "web-"
  image_id      = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
}

resource "aws_launch_template" "api" {
  name_prefix = "api-"
  image_id    = "ami-0abcdef1234567890"

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "optional"
  }
}

resource "aws_launch_configuration" "legacy" {
  name_prefix   = "legacy-"
  image_id      = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
}
