variable "public" {
  default = true
}

resource "aws_db_instance" "orders" {
  identifier          = "orders"
  engine              = "postgres"
  instance_class      = "db.t4g.micro"
  allocated_storage   = 20
  storage_encrypted   = true
  publicly_accessible = true
}

resource "aws_rds_cluster_instance" "analytics" {
  identifier          = "analytics-1"
  cluster_identifier  = "analytics"
  instance_class      = "db.r6g.large"
  engine              = "aurora-postgresql"
  publicly_accessible = var.public
}
