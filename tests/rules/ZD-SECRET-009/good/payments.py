import os

import stripe

stripe.api_key = os.environ["STRIPE_SECRET_KEY"]
# Stripe's documentation test key, used in unit tests against stripe-mock
TEST_KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
