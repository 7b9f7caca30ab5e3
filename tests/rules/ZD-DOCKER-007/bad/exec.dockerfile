FROM debian:12-slim
USER builder
RUN --mount=type=cache,target=/var/cache/apt sudo apt-get install -y --no-install-recommends make
RUN ["/usr/bin/sudo", "chown", "-R", "builder", "/src"]
