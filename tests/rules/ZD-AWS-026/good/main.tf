variable "public" {}

resource "aws_instance" "app" {
  ami                         = "ami-0abcdef1234567890"
  instance_type               = "t3.micro"
  associate_public_ip_address = false
}

# omitted: the subnet decides
resource "aws_instance" "worker" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
}

resource "aws_launch_template" "web" {
  name_prefix = "web-"

  network_interfaces {
    device_index                = 0
    associate_public_ip_address = false
  }
}

# unresolvable: unknown is never reported as a failure
resource "aws_instance" "configurable" {
  ami                         = "ami-0abcdef1234567890"
  instance_type               = "t3.micro"
  associate_public_ip_address = var.public
}
