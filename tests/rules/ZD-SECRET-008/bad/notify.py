from slack_sdk import WebClient

SLACK_USER_TOKEN = "xoxp-390488850915-193104010164-4893570289873-mykngdnpmqql798t8pue6hfhpli237ry"
client = WebClient(token=SLACK_USER_TOKEN)
