resource "aws_db_instance" "orders" {
  identifier        = "orders"
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
}

resource "aws_db_instance" "billing" {
  identifier                          = "billing"
  engine                              = "mariadb"
  instance_class                      = "db.t4g.micro"
  allocated_storage                   = 20
  iam_database_authentication_enabled = false
}

resource "aws_rds_cluster" "catalog" {
  cluster_identifier = "catalog"
  engine             = "aurora-mysql"
}
