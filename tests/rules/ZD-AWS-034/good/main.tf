variable "drop_invalid" {}

resource "aws_lb" "web" {
  name                       = "web"
  load_balancer_type         = "application"
  subnets                    = ["subnet-0a1b2c3d", "subnet-0e1f2a3b"]
  drop_invalid_header_fields = true
}

# network load balancers do not parse HTTP
resource "aws_lb" "tcp" {
  name               = "tcp"
  load_balancer_type = "network"
  subnets            = ["subnet-0a1b2c3d", "subnet-0e1f2a3b"]
}

# unresolvable: unknown is never reported as a failure
resource "aws_lb" "configurable" {
  name                       = "configurable"
  subnets                    = ["subnet-0a1b2c3d", "subnet-0e1f2a3b"]
  drop_invalid_header_fields = var.drop_invalid
}
