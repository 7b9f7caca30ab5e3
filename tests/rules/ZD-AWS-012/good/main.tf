variable "multi_region" {}

resource "aws_cloudtrail" "org" {
  name                       = "org"
  s3_bucket_name             = "corp-trail"
  is_organization_trail      = true
  is_multi_region_trail      = true
  enable_log_file_validation = true
  kms_key_id                 = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

# unresolvable: unknown is never reported as a failure
resource "aws_cloudtrail" "configurable" {
  name                       = "configurable"
  s3_bucket_name             = "corp-trail"
  is_multi_region_trail      = var.multi_region
  enable_log_file_validation = true
}
