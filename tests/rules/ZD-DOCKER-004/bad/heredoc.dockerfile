# syntax=docker/dockerfile:1
FROM debian:12-slim
RUN <<EOF
set -eu
apt-get update
wget -qO- https://get.example.dev/install | sudo -E sh -s -- --yes
EOF
