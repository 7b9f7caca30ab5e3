#!/bin/sh
# the token is minted at run time with the client-credentials flow
TOKEN="$(curl -fsS -d grant_type=client_credentials -u "$CLIENT_ID:$CLIENT_SECRET" https://auth.example.com/oauth/token | jq -r .access_token)"
curl -fsS https://reports.internal/api/v2/health -H "Authorization: Bearer ${TOKEN}"
# starts like a JWT but its parts are not JSON
NOT_A_JWT="eyJub3QiOiJqc29u.Zm9vYmFy.c2ln"
