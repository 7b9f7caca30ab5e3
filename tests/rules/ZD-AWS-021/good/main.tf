variable "admin_cidr" {}

resource "aws_security_group" "db" {
  name = "db"

  # private networks only
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }

  # from the application tier's security group
  ingress {
    from_port       = 3306
    to_port         = 3306
    protocol        = "tcp"
    security_groups = ["sg-0aaaaaaaaaaaaaaaa"]
  }

  # public web ports are not data store ports
  ingress {
    from_port   = 80
    to_port     = 443
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
}

# egress is not exposure
resource "aws_security_group_rule" "egress_db" {
  type              = "egress"
  from_port         = 5432
  to_port           = 5432
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = "sg-0123456789abcdef0"
}

# unresolvable: unknown is never reported as a failure
resource "aws_vpc_security_group_ingress_rule" "admin" {
  security_group_id = "sg-0123456789abcdef0"
  cidr_ipv4         = var.admin_cidr
  from_port         = 1433
  to_port           = 1433
  ip_protocol       = "tcp"
}
