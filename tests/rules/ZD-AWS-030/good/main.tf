variable "iam_auth" {}

resource "aws_db_instance" "orders" {
  identifier                          = "orders"
  engine                              = "postgres"
  instance_class                      = "db.t4g.micro"
  allocated_storage                   = 20
  iam_database_authentication_enabled = true
}

# SQL Server and Oracle do not support IAM database authentication
resource "aws_db_instance" "ledger" {
  identifier        = "ledger"
  engine            = "sqlserver-se"
  instance_class    = "db.m5.large"
  allocated_storage = 100
  license_model     = "license-included"
}

resource "aws_rds_cluster" "catalog" {
  cluster_identifier                  = "catalog"
  engine                              = "aurora-postgresql"
  iam_database_authentication_enabled = true
}

# unresolvable: unknown is never reported as a failure
resource "aws_rds_cluster" "configurable" {
  cluster_identifier                  = "configurable"
  engine                              = "aurora-mysql"
  iam_database_authentication_enabled = var.iam_auth
}
