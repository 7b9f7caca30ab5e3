variable "http_tokens" {}

resource "aws_instance" "web" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"

  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
}

# no metadata service at all
resource "aws_instance" "batch" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"

  metadata_options {
    http_endpoint = "disabled"
  }
}

# settings come from the launch template (judged by ZD-AWS-025)
resource "aws_instance" "from_template" {
  launch_template {
    id      = "lt-0abcdef1234567890"
    version = "$Latest"
  }
}

# unresolvable: unknown is never reported as a failure
resource "aws_instance" "configurable" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"

  metadata_options {
    http_tokens = var.http_tokens
  }
}
