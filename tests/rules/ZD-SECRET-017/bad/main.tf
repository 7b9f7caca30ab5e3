resource "aws_db_instance" "reports" {
  identifier          = "reports"
  engine              = "postgres"
  instance_class      = "db.t4g.micro"
  allocated_storage   = 20
  username            = "reports"
  password            = "0AZ0rQ2KHbKzTCzvZT"
  skip_final_snapshot = true
}
