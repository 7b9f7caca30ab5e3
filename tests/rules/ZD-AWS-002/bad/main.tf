variable "world" {
  default = "0.0.0.0/0"
}

resource "aws_security_group" "wide_open" {
  name   = "wide-open"
  vpc_id = "vpc-123"

  ingress {
    description = "https only: fine on its own"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "everything"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [var.world]
  }
}

resource "aws_default_security_group" "default" {
  vpc_id = "vpc-123"

  ingress {
    from_port        = 0
    to_port          = 65535
    protocol         = "tcp"
    ipv6_cidr_blocks = ["::/0"]
  }
}

resource "aws_security_group_rule" "all_udp" {
  type              = "ingress"
  from_port         = 1
  to_port           = 65535
  protocol          = "udp"
  cidr_blocks       = ["10.0.0.0/8", "0.0.0.0/0"]
  security_group_id = aws_security_group.wide_open.id
}

resource "aws_vpc_security_group_ingress_rule" "all_traffic" {
  security_group_id = aws_security_group.wide_open.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}
