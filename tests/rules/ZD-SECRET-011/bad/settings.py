EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "smtp.sendgrid.net"
EMAIL_HOST_USER = "apikey"
EMAIL_HOST_PASSWORD = "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"
