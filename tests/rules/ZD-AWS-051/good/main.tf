variable "transit_encryption" {}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "sessions"
  description                = "session store"
  node_type                  = "cache.r7g.large"
  num_cache_clusters         = 2
  transit_encryption_enabled = true
  transit_encryption_mode    = "required"
  at_rest_encryption_enabled = true
  kms_key_id                 = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

# valkey encrypts at rest by default
resource "aws_elasticache_replication_group" "queue" {
  replication_group_id       = "queue"
  description                = "job queue"
  engine                     = "valkey"
  node_type                  = "cache.r7g.large"
  num_cache_clusters         = 2
  transit_encryption_enabled = true
}

# a global datastore secondary takes its encryption settings from the primary
resource "aws_elasticache_replication_group" "secondary" {
  replication_group_id        = "secondary"
  description                 = "secondary region"
  global_replication_group_id = "ldgnf-sessions"
  num_cache_clusters          = 1
}

# unresolvable: unknown is never reported as a failure
resource "aws_elasticache_replication_group" "configurable" {
  replication_group_id       = "configurable"
  description                = "configurable"
  node_type                  = "cache.r7g.large"
  num_cache_clusters         = 2
  transit_encryption_enabled = var.transit_encryption
  at_rest_encryption_enabled = true
}
