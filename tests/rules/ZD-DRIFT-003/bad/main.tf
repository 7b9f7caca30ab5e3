resource "aws_cloudtrail" "main" {
  name                          = "org-trail"
  s3_bucket_name                = "acme-audit"
  is_multi_region_trail         = true
  enable_log_file_validation    = true
}
