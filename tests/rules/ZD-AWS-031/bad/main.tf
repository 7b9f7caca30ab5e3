resource "aws_db_instance" "orders" {
  identifier        = "orders"
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
}

resource "aws_rds_cluster" "catalog" {
  cluster_identifier              = "catalog"
  engine                          = "aurora-mysql"
  enabled_cloudwatch_logs_exports = []
}
