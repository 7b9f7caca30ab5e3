variable "vpc_id" {}

# a flow log whose VPC cannot be resolved may be this VPC's
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_flow_log" "main" {
  vpc_id          = var.vpc_id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::corp-flow-logs"
}
