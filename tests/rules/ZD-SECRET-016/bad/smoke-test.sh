#!/bin/sh
curl -fsS https://reports.internal/api/v2/health \
  -H "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMteTNPOEJoVGoiLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTkwMDAwMDAwMH0.Pk5rvwq5iRpEh3y2-K2LkaUSu5W7wwMA7wfc9m34o3l"
