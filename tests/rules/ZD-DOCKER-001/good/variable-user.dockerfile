FROM ubuntu:24.04
ARG APP_UID=10001
RUN useradd --uid ${APP_UID} app
USER ${APP_UID}
