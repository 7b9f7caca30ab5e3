resource "aws_instance" "bastion" {
  ami                         = "ami-0abcdef1234567890"
  instance_type               = "t3.micro"
  subnet_id                   = "subnet-0a1b2c3d"
  associate_public_ip_address = true
}

resource "aws_launch_template" "web" {
  name_prefix = "web-"
  image_id    = "ami-0abcdef1234567890"

  network_interfaces {
    device_index                = 0
    associate_public_ip_address = "true"
  }
}

resource "aws_launch_configuration" "legacy" {
  name_prefix                 = "legacy-"
  image_id                    = "ami-0abcdef1234567890"
  instance_type               = "t3.micro"
  associate_public_ip_address = true
}
