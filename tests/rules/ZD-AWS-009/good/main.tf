variable "public" {}

resource "aws_db_instance" "private" {
  identifier          = "private"
  engine              = "postgres"
  instance_class      = "db.t4g.micro"
  allocated_storage   = 20
  storage_encrypted   = true
  publicly_accessible = false
}

# omitted: the Terraform provider sends false
resource "aws_db_instance" "default" {
  identifier        = "default"
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
  storage_encrypted = true
}

# unresolvable: unknown is never reported as a failure
resource "aws_rds_cluster_instance" "configurable" {
  identifier          = "configurable-1"
  cluster_identifier  = "configurable"
  instance_class      = "db.r6g.large"
  engine              = "aurora-mysql"
  publicly_accessible = var.public
}
