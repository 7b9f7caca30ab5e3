FROM --platform=linux/amd64 node:latest
WORKDIR /app
COPY package*.json ./
RUN npm ci
