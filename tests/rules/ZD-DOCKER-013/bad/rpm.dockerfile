# syntax=docker/dockerfile:1
FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4 AS build
RUN microdnf install -y gcc make
RUN make -C /src
FROM registry.access.redhat.com/ubi9/ubi:9.4
RUN yum -y update && yum -y install httpd && yum clean metadata
RUN dnf install -y --setopt=install_weak_deps=False nginx
RUN <<EOT
set -eux
dnf install -y python3
dnf clean all
dnf install -y git
EOT
COPY --from=build /src/app /usr/local/bin/app
USER 1001
