FROM alpine:3.20
RUN apk add --no-cache curl ca-certificates
RUN apk --no-cache add --virtual .build-deps gcc musl-dev \
 && make -C /src install \
 && apk del --no-cache .build-deps
RUN apk update && apk add bash && rm -rf /var/cache/apk/*
RUN --mount=type=cache,target=/var/cache/apk apk add --update gcc
RUN apk info -vv && apk del curl
USER 10001
