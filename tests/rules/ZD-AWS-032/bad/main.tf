resource "aws_cloudtrail" "main" {
  name                          = "main"
  s3_bucket_name                = "corp-cloudtrail"
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  include_global_service_events = true
}

resource "aws_cloudtrail" "data_events" {
  name           = "data-events"
  s3_bucket_name = "corp-cloudtrail"
  kms_key_id     = ""
}
