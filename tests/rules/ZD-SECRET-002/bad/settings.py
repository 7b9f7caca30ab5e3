import boto3

AWS_SECRET_ACCESS_KEY = "T2vKoKK4tE1skxRed6hxNwRbMfMP7qwmtqeNdYpj"
