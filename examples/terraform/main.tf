variable "admin_cidr" {
  description = "Who may SSH in. Left wide open for the demo."
  default     = "0.0.0.0/0"
}

locals {
  db_port = 5432
}

resource "aws_security_group" "web" {
  name        = "demo-web"
  description = "demo web tier"

  ingress {
    description = "SSH for admins"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }

  ingress {
    description = "everything, for debugging"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_s3_bucket" "assets" {
  bucket = "zerodrift-demo-assets"
  acl    = "public-read"
}

resource "aws_db_instance" "main" {
  identifier          = "demo"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  port                = local.db_port
  publicly_accessible = true
  username            = "demo"
  password            = var.db_password
}

variable "db_password" {
  sensitive = true
}

resource "aws_iam_policy" "admin" {
  name = "demo-admin"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })
}

resource "aws_iam_user" "ci" {
  name = "demo-ci"
}

resource "aws_iam_access_key" "ci" {
  user = aws_iam_user.ci.name
}

resource "aws_kms_key" "data" {
  description = "demo key without rotation"
}
