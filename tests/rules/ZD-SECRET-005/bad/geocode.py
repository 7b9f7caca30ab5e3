import requests

URL = "https://maps.googleapis.com/maps/api/geocode/json?key=AIzajsdFp0QWhSa4AG3XK8HedgSqskPQoc3Fv9o"


def geocode(address):
    return requests.get(URL, params={"address": address}, timeout=10).json()
