import os

import requests

URL = "https://maps.googleapis.com/maps/api/geocode/json"


def geocode(address):
    # the key travels in a header, read from the environment at run time
    headers = {"X-Goog-Api-Key": os.environ["GOOGLE_API_KEY"]}
    return requests.get(URL, params={"address": address}, headers=headers, timeout=10).json()
