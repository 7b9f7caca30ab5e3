FROM python:3.12-slim
ENV DJANGO_DEBUG 0
ENV DJANGO_SECRET_KEY insecure-change-me
