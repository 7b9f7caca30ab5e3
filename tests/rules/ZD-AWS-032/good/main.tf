variable "kms_key_arn" {}

resource "aws_kms_key" "cloudtrail" {
  description         = "CloudTrail logs"
  enable_key_rotation = true
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "corp-cloudtrail"
  kms_key_id     = aws_kms_key.cloudtrail.arn
}

# unresolvable: unknown is never reported as a failure
resource "aws_cloudtrail" "configurable" {
  name           = "configurable"
  s3_bucket_name = "corp-cloudtrail"
  kms_key_id     = var.kms_key_arn
}
