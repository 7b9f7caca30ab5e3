FROM node:20-slim
ARG NODE_ENV=production
ARG NPM_TOKEN=example-npm-token-0000
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci
