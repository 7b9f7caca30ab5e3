resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "logged" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_flow_log" "logged" {
  vpc_id          = aws_vpc.logged.id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::corp-flow-logs"
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.edge.id
  cidr_block = "10.2.1.0/24"
}

# a subnet-level flow log does not cover the VPC
resource "aws_vpc" "edge" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_flow_log" "app_subnet" {
  subnet_id       = aws_subnet.app.id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::corp-flow-logs"
}
