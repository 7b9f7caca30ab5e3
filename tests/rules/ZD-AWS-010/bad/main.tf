variable "encrypt" {
  default = false
}

resource "aws_db_instance" "orders" {
  identifier        = "orders"
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
}

resource "aws_db_instance" "billing" {
  identifier        = "billing"
  engine            = "mysql"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
  storage_encrypted = var.encrypt
}

resource "aws_rds_cluster" "aurora_plain" {
  cluster_identifier = "aurora-plain"
  engine             = "aurora-postgresql"
  storage_encrypted  = false
}

resource "aws_rds_cluster" "multi_az" {
  cluster_identifier        = "multi-az"
  engine                    = "postgres"
  db_cluster_instance_class = "db.r6gd.large"
  storage_type              = "io1"
  allocated_storage         = 100
  iops                      = 1000
}
