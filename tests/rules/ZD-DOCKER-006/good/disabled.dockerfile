# runs on Kubernetes: probes are defined there, the decision is explicit
FROM python:3.12-slim
HEALTHCHECK NONE
CMD ["python", "-m", "app"]
