# syntax=docker/dockerfile:1
FROM ubuntu:24.04
RUN <<EOF
set -eux
apt-get update
apt install -y python3
EOF
USER 10001
