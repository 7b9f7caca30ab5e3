FROM alpine:3.20
RUN apk add --no-cache bash curl zsh
RUN sh -c "$(curl -fsSL https://raw.githubusercontent.com/ohmyzsh/ohmyzsh/master/tools/install.sh)"
