variable "encrypt" {}

resource "aws_db_instance" "encrypted" {
  identifier        = "encrypted"
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
  storage_encrypted = true
  kms_key_id        = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

# a read replica inherits the source's encryption
resource "aws_db_instance" "replica" {
  identifier          = "replica"
  replicate_source_db = aws_db_instance.encrypted.identifier
  instance_class      = "db.t4g.micro"
}

# restored from a snapshot: inherits the snapshot's encryption
resource "aws_db_instance" "restored" {
  identifier          = "restored"
  snapshot_identifier = "orders-final"
  instance_class      = "db.t4g.micro"
}

# unresolvable: unknown is never reported as a failure
resource "aws_db_instance" "configurable" {
  identifier        = "configurable"
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
  storage_encrypted = var.encrypt
}

# Aurora encrypts new clusters by default: omission is not reported
resource "aws_rds_cluster" "aurora_default" {
  cluster_identifier = "aurora-default"
  engine             = "aurora-mysql"
}

resource "aws_rds_cluster" "multi_az" {
  cluster_identifier        = "multi-az"
  engine                    = "mysql"
  db_cluster_instance_class = "db.r6gd.large"
  storage_type              = "io1"
  allocated_storage         = 100
  iops                      = 1000
  storage_encrypted         = true
}
