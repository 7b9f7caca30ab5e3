FROM python:3.12-slim
RUN useradd --system --uid 10001 app
USER app
COPY --chown=app . /app
USER root
CMD ["python", "/app/main.py"]
