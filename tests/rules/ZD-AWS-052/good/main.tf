variable "encrypt" {}

resource "aws_opensearch_domain" "logs" {
  domain_name    = "logs"
  engine_version = "OpenSearch_2.13"

  encrypt_at_rest {
    enabled    = true
    kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  node_to_node_encryption {
    enabled = true
  }

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10"
  }
}

# unresolvable: unknown is never reported as a failure
resource "aws_elasticsearch_domain" "configurable" {
  domain_name           = "configurable"
  elasticsearch_version = "7.10"

  encrypt_at_rest {
    enabled = var.encrypt
  }

  node_to_node_encryption {
    enabled = var.encrypt
  }
}
