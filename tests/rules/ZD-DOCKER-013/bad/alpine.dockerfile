FROM alpine:3.20
RUN apk add curl
# apk update stores the index in /var/cache/apk even if the add uses --no-cache
RUN apk update && apk add --no-cache bash
RUN apk --update add --virtual .build-deps gcc musl-dev \
 && make -C /src install \
 && apk del .build-deps
USER 10001
