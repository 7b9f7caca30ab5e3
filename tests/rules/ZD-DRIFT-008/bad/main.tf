resource "aws_security_group" "web" {
  name        = "web"
  description = "web"
  vpc_id      = "vpc-0a1b2c3d"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
