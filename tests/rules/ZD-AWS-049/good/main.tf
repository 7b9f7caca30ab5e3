variable "log_types" {}

resource "aws_eks_cluster" "audited" {
  name                      = "audited"
  role_arn                  = "arn:aws:iam::111122223333:role/eks-cluster"
  enabled_cluster_log_types = ["api", "audit", "authenticator"]

  vpc_config {
    subnet_ids              = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
    endpoint_public_access  = false
    endpoint_private_access = true
  }
}

# unresolvable: unknown is never reported as a failure
resource "aws_eks_cluster" "configurable" {
  name                      = "configurable"
  role_arn                  = "arn:aws:iam::111122223333:role/eks-cluster"
  enabled_cluster_log_types = var.log_types

  vpc_config {
    subnet_ids              = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
    endpoint_public_access  = false
    endpoint_private_access = true
  }
}
