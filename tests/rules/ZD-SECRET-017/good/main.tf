resource "aws_db_instance" "reports" {
  identifier                  = "reports"
  engine                      = "postgres"
  instance_class              = "db.t4g.micro"
  allocated_storage           = 20
  username                    = "reports"
  manage_master_user_password = true
  skip_final_snapshot         = true
}

resource "aws_db_instance" "replica" {
  identifier          = "reports-replica"
  engine              = "postgres"
  instance_class      = "db.t4g.micro"
  allocated_storage   = 20
  username            = "reports"
  password            = var.replica_password
  skip_final_snapshot = true
}
