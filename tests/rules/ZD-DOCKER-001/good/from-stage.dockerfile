FROM python:3.12-slim AS base
RUN useradd --system app
USER app

# inherits USER app from the "base" stage
FROM base AS runtime
COPY . /app
CMD ["python", "/app/main.py"]
