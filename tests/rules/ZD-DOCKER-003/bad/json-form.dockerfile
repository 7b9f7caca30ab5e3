FROM alpine:3.20
ADD --chmod=755 ["http://downloads.example.com/install.sh", "/usr/local/bin/install.sh"]
