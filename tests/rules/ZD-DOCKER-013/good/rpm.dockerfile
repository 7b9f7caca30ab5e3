FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4
RUN microdnf install -y shadow-utils && microdnf clean all
FROM registry.access.redhat.com/ubi9/ubi:9.4
RUN yum -y update && yum -y install httpd && yum clean all
RUN dnf -y install --setopt=install_weak_deps=False nginx \
 && dnf -y clean all \
 && rm -rf /var/cache/dnf
RUN yum install -y git && rm -rf /var/cache/yum/*
RUN --mount=type=cache,target=/var/cache/dnf,sharing=locked dnf install -y python3
RUN yum-config-manager --enable crb && rpm -qa && dnf list installed
USER 1001
