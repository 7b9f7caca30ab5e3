FROM node:20-slim
RUN npm config set strict-ssl false && npm ci
RUN git config --global http.sslVerify false && git clone https://git.corp.example/lib.git
ENV PYTHONHTTPSVERIFY 0
RUN curl --insecure https://get.example.dev/data.json -o /srv/data.json
USER node
