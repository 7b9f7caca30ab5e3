import stripe

stripe.api_key = "sk_live_wikxHtxIsbAv5RxkhXscKajb"
