variable "vpn_cidr" {
  default = "10.8.0.0/16"
}

variable "unknown_cidr" {}

resource "aws_security_group" "windows" {
  name = "windows"

  # RDP only from the VPN
  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = [var.vpn_cidr]
  }

  # neighbouring port open to the world: not RDP
  ingress {
    from_port   = 3390
    to_port     = 3390
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  # ICMP type/code numbers are not ports
  ingress {
    from_port   = -1
    to_port     = -1
    protocol    = "icmp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  # unresolvable: unknown is never reported as a failure
  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = [var.unknown_cidr]
  }
}

resource "aws_security_group_rule" "egress" {
  type              = "egress"
  from_port         = 3389
  to_port           = 3389
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = aws_security_group.windows.id
}
