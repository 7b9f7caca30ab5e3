import os

import boto3

AWS_SECRET_ACCESS_KEY = os.environ["AWS_SECRET_ACCESS_KEY"]
aws_secret_key_file = "/run/secrets/aws_secret_access_key"
session = boto3.Session(profile_name="deploy")
