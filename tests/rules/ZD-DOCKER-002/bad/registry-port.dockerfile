# the :5000 is the registry port, not a tag
FROM registry.example.com:5000/platform/base AS base
RUN echo hello
