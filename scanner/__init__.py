"""zerodrift: IaC, secrets and drift scanner."""
from __future__ import annotations

__version__ = "0.1.0"
# Where generated rule pages are published; SARIF helpUri = RULE_DOCS_URL + "<id>.md".
RULE_DOCS_URL = "https://github.com/zerodrift/zerodrift/blob/main/docs/rules/"
INFORMATION_URI = "https://github.com/zerodrift/zerodrift"
