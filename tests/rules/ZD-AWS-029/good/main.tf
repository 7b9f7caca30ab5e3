variable "protect" {}

resource "aws_db_instance" "orders" {
  identifier          = "orders"
  engine              = "postgres"
  instance_class      = "db.t4g.micro"
  allocated_storage   = 20
  deletion_protection = true
}

resource "aws_rds_cluster" "catalog" {
  cluster_identifier  = "catalog"
  engine              = "aurora-mysql"
  deletion_protection = true
}

# unresolvable: unknown is never reported as a failure
resource "aws_rds_cluster" "configurable" {
  cluster_identifier  = "configurable"
  engine              = "aurora-mysql"
  deletion_protection = var.protect
}
