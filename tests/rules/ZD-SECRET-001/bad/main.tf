provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIARYVUXLI15HL8KKEC"
  secret_key = var.aws_secret_key
}
