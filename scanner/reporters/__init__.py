"""The explicit registry of reporters: format name → module with ``render``."""
from __future__ import annotations

from types import ModuleType

from scanner.reporters import json_report
from scanner.reporters import junit
from scanner.reporters import markdown
from scanner.reporters import sarif
from scanner.reporters import text

REPORTERS: dict[str, ModuleType] = {
    "text": text,
    "json": json_report,
    "sarif": sarif,
    "markdown": markdown,
    "junit": junit,
}
