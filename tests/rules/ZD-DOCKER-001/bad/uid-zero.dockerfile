FROM alpine:3.20
RUN adduser -D app
USER 0:0
CMD ["sh"]
