"""The only module that imports detect-secrets.

detect-secrets keeps its configuration in a process-wide singleton that is
not thread-safe, so it is configured once per process (all built-in plugins
except the public-IP one, the default filters, no verification: nothing is
ever sent over the network) and parallelism uses processes. Lines are handed
to its line-based pipeline (plugins plus its own filters) only when a cheap
pre-filter says some plugin could fire on them; that pre-filter is built from
the plugins' own patterns, so it never hides a line a plugin would report.

Pinned to detect-secrets 1.5 (pyproject): ``_process_line_based_plugins`` is
internal API.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

# detect-secrets' entropy plugins look at quoted strings; a base64 string needs
# about 23 distinct characters to exceed the 4.5 bits limit, hex 8 for 3.0.
_QUOTED_B64 = r"[\"'][A-Za-z0-9+/=_-]{20,}[\"']"
_QUOTED_HEX = r"[\"'][0-9a-fA-F]{8,}[\"']"


@lru_cache(maxsize=1)
def _pipeline() -> tuple[Any, tuple[re.Pattern, ...]]:
    from detect_secrets.core import scan as ds_scan
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.plugins import keyword
    from detect_secrets.settings import cache_bust
    from detect_secrets.settings import configure_settings_from_baseline
    from detect_secrets.settings import get_plugins

    # what detect-secrets' default_settings() sets, minus the public-IP plugin,
    # configured for the life of this process (its own context manager would
    # reset the singleton when collected)
    cache_bust()
    configure_settings_from_baseline({"plugins_used": [
        {"name": cls.__name__}
        for cls in get_mapping_from_secret_type_to_class().values()
        if cls.__name__ != "IPPublicDetector"
    ]})
    patterns: list[re.Pattern] = [re.compile(_QUOTED_B64), re.compile(_QUOTED_HEX)]
    global _KEYWORDS
    # case-sensitive on lower-cased text: several times faster than (?i)
    _KEYWORDS = re.compile("(?:" + "|".join(keyword.DENYLIST) + ")")
    for plugin in get_plugins():
        for regex in getattr(plugin, "denylist", ()) or ():
            patterns.append(regex if isinstance(regex, re.Pattern) else re.compile(regex))
    return ds_scan, tuple(patterns)


_KEYWORDS: re.Pattern | None = None


def prefilter_patterns() -> tuple[re.Pattern, ...]:
    """Patterns to run on the text as it is."""
    return _pipeline()[1]


def keyword_pattern() -> re.Pattern:
    """detect-secrets' credential keywords, to run on the lower-cased text."""
    _pipeline()
    assert _KEYWORDS is not None
    return _KEYWORDS


def analyze(filename: str, numbered_lines: list[tuple[int, str]]) -> Iterator[tuple[str, int, str]]:
    """(detect-secrets type, line number, secret value) for the given lines."""
    ds_scan = _pipeline()[0]
    for secret in ds_scan._process_line_based_plugins(numbered_lines, filename=filename):
        if secret.secret_value:
            yield secret.type, secret.line_number, secret.secret_value
