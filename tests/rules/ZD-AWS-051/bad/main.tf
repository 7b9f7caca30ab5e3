resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "sessions"
  description          = "session store"
  node_type            = "cache.r7g.large"
  num_cache_clusters   = 2
}

# valkey encrypts at rest by default, but not in transit
resource "aws_elasticache_replication_group" "queue" {
  replication_group_id       = "queue"
  description                = "job queue"
  engine                     = "valkey"
  node_type                  = "cache.r7g.large"
  num_cache_clusters         = 2
  transit_encryption_enabled = false
}

resource "aws_elasticache_replication_group" "migrating" {
  replication_group_id       = "migrating"
  description                = "half-way through enabling TLS"
  node_type                  = "cache.r7g.large"
  num_cache_clusters         = 2
  transit_encryption_enabled = true
  transit_encryption_mode    = "preferred"
  at_rest_encryption_enabled = true
}

resource "aws_elasticache_replication_group" "reports" {
  replication_group_id       = "reports"
  description                = "report cache"
  engine                     = "redis"
  node_type                  = "cache.r7g.large"
  num_cache_clusters         = 2
  transit_encryption_enabled = true
  at_rest_encryption_enabled = false
}
