SQLALCHEMY_DATABASE_URI = "postgresql+psycopg2://app:0AZ0rQ2KHbKzTCzvZT@db.internal/app"
ARTIFACT_MIRROR = "https://deploy:Gjv6FUlod9GXqq@artifacts.internal/simple/"
