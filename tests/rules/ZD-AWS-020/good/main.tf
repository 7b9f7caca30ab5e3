variable "security_group_id" {}
variable "ingress_rules" {}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

# no rules: the default security group denies all traffic
resource "aws_default_security_group" "main" {
  vpc_id = aws_vpc.main.id
}

# explicitly empty rule lists
resource "aws_default_security_group" "empty" {
  vpc_id  = "vpc-0a1b2c3d"
  ingress = []
  egress  = []
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "app_https" {
  security_group_id = aws_security_group.app.id
  cidr_ipv4         = "10.0.0.0/16"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}

# unresolvable: unknown is never reported as a failure
resource "aws_security_group_rule" "configurable" {
  type              = "ingress"
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
  security_group_id = var.security_group_id
}

resource "aws_default_security_group" "configurable" {
  vpc_id  = "vpc-0e1f2a3b"
  ingress = var.ingress_rules
}
