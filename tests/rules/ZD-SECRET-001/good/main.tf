provider "aws" {
  region = "eu-west-1"
  # credentials come from the environment, a profile or an assumed role
  access_key = var.aws_access_key_id
}
