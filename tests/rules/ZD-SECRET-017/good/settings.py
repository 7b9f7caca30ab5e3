import os

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
password = settings_password
API_TOKEN = get_token_from_vault("reports/api")
