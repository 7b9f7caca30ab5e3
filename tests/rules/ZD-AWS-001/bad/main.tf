resource "aws_security_group" "ssh_world" {
  name   = "ssh-world"
  vpc_id = "vpc-123"

  ingress {
    description = "https from anywhere is fine"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8", var.admin_cidr]
  }
}

variable "admin_cidr" {
  default = "0.0.0.0/0"
}

resource "aws_security_group_rule" "all_open" {
  type              = "ingress"
  from_port         = 0
  to_port           = 0
  protocol          = "-1"
  ipv6_cidr_blocks  = ["::/0"]
  security_group_id = aws_security_group.ssh_world.id
}

resource "aws_vpc_security_group_ingress_rule" "range" {
  security_group_id = aws_security_group.ssh_world.id
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 20
  to_port           = 25
  ip_protocol       = "tcp"
}
