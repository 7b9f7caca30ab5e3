locals {
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_flow_log" "main" {
  vpc_id          = local.vpc_id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::corp-flow-logs"
}

resource "aws_vpc" "regional" {
  count      = 2
  cidr_block = "10.${count.index + 1}.0.0/16"
}

resource "aws_flow_log" "regional" {
  count           = 2
  vpc_id          = aws_vpc.regional[count.index].id
  traffic_type    = "REJECT"
  log_destination = "arn:aws:s3:::corp-flow-logs"
}
