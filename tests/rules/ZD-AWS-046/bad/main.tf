resource "aws_sqs_queue" "orders" {
  name                    = "orders"
  sqs_managed_sse_enabled = false
}

resource "aws_sqs_queue" "events" {
  name                      = "events.fifo"
  fifo_queue                = true
  sqs_managed_sse_enabled   = "false"
  kms_master_key_id         = ""
  message_retention_seconds = 1209600
}
