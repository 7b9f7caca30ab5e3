variable "retention_days" {}

resource "aws_db_instance" "orders" {
  identifier              = "orders"
  engine                  = "postgres"
  instance_class          = "db.t4g.micro"
  allocated_storage       = 20
  backup_retention_period = 14
}

# read replicas do not need their own backups
resource "aws_db_instance" "orders_replica" {
  identifier              = "orders-replica"
  replicate_source_db     = aws_db_instance.orders.identifier
  instance_class          = "db.t4g.micro"
  backup_retention_period = 0
}

# restored from a snapshot: an omitted period is not judged
resource "aws_db_instance" "restored" {
  identifier          = "restored"
  snapshot_identifier = "orders-final"
  instance_class      = "db.t4g.micro"
}

resource "aws_rds_cluster" "catalog" {
  cluster_identifier      = "catalog"
  engine                  = "aurora-postgresql"
  backup_retention_period = 7
}

# unresolvable: unknown is never reported as a failure
resource "aws_db_instance" "configurable" {
  identifier              = "configurable"
  engine                  = "postgres"
  instance_class          = "db.t4g.micro"
  allocated_storage       = 20
  backup_retention_period = var.retention_days
}
