variable "sse_enabled" {}

# SSE-SQS is the default for new queues
resource "aws_sqs_queue" "default" {
  name = "default"
}

resource "aws_sqs_queue" "sse_sqs" {
  name                    = "sse-sqs"
  sqs_managed_sse_enabled = true
}

resource "aws_sqs_queue" "kms" {
  name                    = "kms"
  sqs_managed_sse_enabled = false
  kms_master_key_id       = "alias/orders"
}

# unresolvable: unknown is never reported as a failure
resource "aws_sqs_queue" "configurable" {
  name                    = "configurable"
  sqs_managed_sse_enabled = var.sse_enabled
}

resource "aws_sqs_queue" "referenced_key" {
  name                    = "referenced-key"
  sqs_managed_sse_enabled = false
  kms_master_key_id       = aws_kms_key.queues.arn
}
