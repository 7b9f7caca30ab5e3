FROM nginx:1.27-alpine AS web
HEALTHCHECK CMD wget -qO- http://localhost/ || exit 1

# inherits the HEALTHCHECK of the "web" stage
FROM web AS prod
COPY site/ /usr/share/nginx/html/
