resource "aws_cloudtrail" "defaults" {
  name           = "defaults"
  s3_bucket_name = "corp-trail"
}

resource "aws_cloudtrail" "regional" {
  name                       = "regional"
  s3_bucket_name             = "corp-trail"
  enable_log_file_validation = true
  is_multi_region_trail      = false
}

resource "aws_cloudtrail" "unvalidated" {
  name                       = "unvalidated"
  s3_bucket_name             = "corp-trail"
  is_multi_region_trail      = true
  enable_log_file_validation = false
}
