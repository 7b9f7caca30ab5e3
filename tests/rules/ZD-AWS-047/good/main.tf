variable "topic_key" {}

resource "aws_sns_topic" "managed_key" {
  name              = "managed-key"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sns_topic" "customer_key" {
  name              = "customer-key"
  kms_master_key_id = aws_kms_key.topics.id
}

# unresolvable: unknown is never reported as a failure
resource "aws_sns_topic" "configurable" {
  name              = "configurable"
  kms_master_key_id = var.topic_key
}
