variable "encrypted_resources" {}

resource "aws_kms_key" "eks" {
  description         = "EKS secrets"
  enable_key_rotation = true
}

resource "aws_eks_cluster" "apps" {
  name     = "apps"
  role_arn = "arn:aws:iam::111122223333:role/eks-cluster"

  encryption_config {
    resources = ["secrets"]

    provider {
      key_arn = aws_kms_key.eks.arn
    }
  }

  vpc_config {
    subnet_ids              = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
    endpoint_public_access  = false
    endpoint_private_access = true
  }
}

# unresolvable: unknown is never reported as a failure
resource "aws_eks_cluster" "configurable" {
  name     = "configurable"
  role_arn = "arn:aws:iam::111122223333:role/eks-cluster"

  encryption_config {
    resources = var.encrypted_resources

    provider {
      key_arn = aws_kms_key.eks.arn
    }
  }

  vpc_config {
    subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
  }
}
