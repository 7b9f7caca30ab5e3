import os

SQLALCHEMY_DATABASE_URI = os.environ["DATABASE_URL"]
TEMPLATE = "postgresql://%(user)s:%(password)s@%(host)s/app"
