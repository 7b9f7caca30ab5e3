resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_default_security_group" "main" {
  vpc_id = aws_vpc.main.id

  ingress {
    protocol  = -1
    self      = true
    from_port = 0
    to_port   = 0
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc" "legacy" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_default_security_group" "legacy" {
  vpc_id = aws_vpc.legacy.id

  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "https_in" {
  type              = "ingress"
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
  security_group_id = aws_vpc.main.default_security_group_id
}

resource "aws_vpc_security_group_egress_rule" "dns_out" {
  security_group_id = aws_default_security_group.legacy.id
  cidr_ipv4         = "10.1.0.2/32"
  from_port         = 53
  to_port           = 53
  ip_protocol       = "udp"
}
