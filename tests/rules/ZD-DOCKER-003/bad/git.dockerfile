FROM alpine:3.20
ADD --keep-git-dir=true git@github.com:example/tools.git /opt/tools
