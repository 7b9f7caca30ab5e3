resource "aws_eks_cluster" "silent" {
  name     = "silent"
  role_arn = "arn:aws:iam::111122223333:role/eks-cluster"

  vpc_config {
    subnet_ids              = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
    endpoint_public_access  = false
    endpoint_private_access = true
  }
}

# API logs without the audit trail
resource "aws_eks_cluster" "partial" {
  name                      = "partial"
  role_arn                  = "arn:aws:iam::111122223333:role/eks-cluster"
  enabled_cluster_log_types = ["api", "authenticator", "scheduler"]

  vpc_config {
    subnet_ids              = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
    endpoint_public_access  = false
    endpoint_private_access = true
  }
}
