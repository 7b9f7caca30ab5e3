FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app ./cmd/app
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /usr/local/bin/app
ADD ["config/app settings.yaml", "/etc/app/settings.yaml"]
ENTRYPOINT ["/usr/local/bin/app"]
