resource "aws_security_group" "web" {
  name        = "web"
  description = "web"
  vpc_id      = "vpc-0a1b2c3d"

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.20.0.0/16"]
  }
}
