"""Find secrets in text: our detectors and detect-secrets' plugins, filtered,
de-duplicated, and reduced to a masked form and a hash before anything leaves
this module.  A raw secret value never reaches a Finding, a report or a log.
"""
from __future__ import annotations

import bisect
import re
import hashlib
import os
from collections.abc import Callable
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from scanner.secrets import adapter
from scanner.secrets import filters
from scanner.secrets.detectors import DEFAULT_PRIORITY
from scanner.secrets.detectors import DETECT_SECRETS_PRIORITY
from scanner.secrets.detectors import DETECT_SECRETS_TYPES
from scanner.secrets.detectors import NOT_A_VALUE_KEY
from scanner.secrets.detectors import OWN

ALLOWLIST_PRAGMA = "pragma: allowlist secret"
ALLOWLIST_NEXT_LINE = "pragma: allowlist nextline secret"
PARALLEL_MIN_FILES = 64
GENERIC = 50  # priorities below this are generic (entropy, keyword) detections


@dataclass(frozen=True)
class SecretHit:
    """A secret found in a file, without the secret."""

    detector: str
    line: int
    masked: str
    sha256: str  # hex digest of the value: lets baselines and history match it
    length: int


def mask(value: str) -> str:
    """A few leading characters, never more than a quarter of the value."""
    keep = min(4, len(value) // 4)
    return value[:keep] + "…"


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def _hit(detector: str, line: int, value: str) -> SecretHit:
    return SecretHit(detector, line, mask(value), digest(value), len(value))


_IDENT = re.compile(r"[A-Za-z0-9_.-]+")
_NEWLINE = re.compile("\n")


def _keyword_key_excluded(line_text: str, value: str) -> bool:
    """detect-secrets' keyword hits, judged by the key they were assigned to (as
    our own assignment detector is): secretName, http_tokens, PASSWORD_POLICY ..."""
    before = line_text.split(value, 1)[0]
    keys = _IDENT.findall(before)
    return bool(keys) and bool(NOT_A_VALUE_KEY.search(keys[-1]))


def _rejected(value: str, line_text: str, path: str, detector: str) -> bool:
    if ALLOWLIST_PRAGMA in line_text:
        return True
    if any(f(value, line_text) for f in filters.VALUE_FILTERS):
        return True
    return detector == "password-assignment" and filters.is_unquoted_code_reference(value, line_text, path)


def scan_text(path: str, text: str) -> list[SecretHit]:
    """Every secret in ``text`` (``path`` is used for file-type heuristics only)."""
    return sorted({_hit(d, line, v) for line, v, d in _find(path, text)}, key=lambda h: (h.line, h.detector, h.sha256))


def redact(path: str, text: str) -> str:
    """``text`` with every secret found in it replaced by its masked form, for
    showing files (documentation examples) without showing their secrets."""
    by_line: dict[int, list[str]] = {}
    for line, value, _ in _find(path, text):
        by_line.setdefault(line, []).append(value)
    lines = text.split("\n")
    for line, values in by_line.items():
        for value in sorted(values, key=len, reverse=True):
            lines[line - 1] = lines[line - 1].replace(value, mask(value) + "[REDACTED]")
    return "\n".join(lines)


def _find(path: str, text: str) -> list[tuple[int, str, str]]:
    """(line, value, detector): raw values, for this module only."""
    if any(f(path) for f in filters.FILE_FILTERS) or filters.is_baseline_text(text):
        return []
    newlines = [m.start() for m in _NEWLINE.finditer(text)]
    lines = text.split("\n")

    def line_no(offset: int) -> int:
        return bisect.bisect_left(newlines, offset) + 1

    allowed_next = {n + 1 for n, ln in enumerate(lines, 1) if ALLOWLIST_NEXT_LINE in ln}
    found: dict[tuple[int, str], tuple[int, str]] = {}  # (line, value) -> (priority, detector)

    def add(detector: str, line: int, value: str, priority: int) -> None:
        if line in allowed_next or not value:
            return
        text_of_line = lines[line - 1] if 0 < line <= len(lines) else ""
        if _rejected(value, text_of_line, path, detector):
            return
        key = (line, value)
        if key not in found or found[key][0] < priority:
            found[key] = (priority, detector)

    for det in OWN:
        for match in det.pattern.finditer(text):
            groups = match.groupdict()
            name = "secret" if groups.get("secret") is not None else "secret2"
            value = groups.get(name)
            if value is None:
                continue
            key = groups.get("key")
            if key and NOT_A_VALUE_KEY.search(key):
                continue
            if det.validate is not None and not det.validate(value):
                continue
            add(det.id, line_no(match.start(name)), value, det.priority)

    candidates: set[int] = set()
    for pattern in adapter.prefilter_patterns():
        for match in pattern.finditer(text):
            candidates.add(line_no(match.start()))
    lowered = text.lower()
    keywords = adapter.keyword_pattern()
    if len(lowered) != len(text):  # a few characters change length when lower-cased
        keywords, lowered = re.compile(keywords.pattern, re.IGNORECASE), text
    for match in keywords.finditer(lowered):
        candidates.add(line_no(match.start()))
    numbered = [(n, lines[n - 1]) for n in sorted(candidates) if 0 < n <= len(lines)]
    if numbered:
        for ds_type, line, value in adapter.analyze(path, numbered):
            detector = DETECT_SECRETS_TYPES.get(ds_type, "high-entropy-string")
            if detector is None:
                continue
            if detector == "password-assignment" and _keyword_key_excluded(lines[line - 1] if 0 < line <= len(lines) else "", value):
                continue
            add(detector, line, value, DETECT_SECRETS_PRIORITY.get(detector, DEFAULT_PRIORITY))

    # a specific detection on a line makes generic ones on that line redundant,
    # and of overlapping values on one line (a connection string and the key in
    # it) the most specific detector's is kept
    specific_lines = {line for (line, _), (prio, _) in found.items() if prio >= GENERIC}
    by_line: dict[int, list[tuple[int, str, str]]] = {}
    for (line, value), (prio, detector) in found.items():
        if prio < GENERIC and line in specific_lines:
            continue
        by_line.setdefault(line, []).append((prio, detector, value))
    hits = []
    for line, entries in by_line.items():
        kept: list[str] = []
        for prio, detector, value in sorted(entries, key=lambda e: (-e[0], -len(e[2]), e[1], e[2])):
            if any(value in other or other in value for other in kept):
                continue
            kept.append(value)
            hits.append((line, value, detector))
    return hits


def _read(path: str, max_size: int) -> str | None:
    try:
        if os.path.getsize(path) > max_size:
            return None
        with open(path, "rb") as fh:
            data = fh.read(max_size + 1)
    except OSError:
        return None
    if b"\x00" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


DIRECTIVE = "zerodrift:ignore"


def _scan_file(item: tuple[str, str, int]) -> tuple[str, list[SecretHit], bool]:
    path, rel, max_size = item
    text = _read(path, max_size)
    if not text:
        return rel, [], False
    return rel, scan_text(rel, text), DIRECTIVE in text


def _scan_chunk(items: list[tuple[str, str, int]]) -> list[tuple[str, list[SecretHit], bool]]:
    return [_scan_file(item) for item in items]


def scan_files(files: Iterable[tuple[str, str]], max_size: int, workers: int | None = None,
               progress: Callable[[str, int, int], None] | None = None) -> tuple[dict[str, list[SecretHit]], list[str]]:
    """({relative path: hits}, files holding zerodrift:ignore comments) for
    (absolute, relative) paths; in parallel processes for larger sets
    (detect-secrets' settings are per process)."""
    items = [(path, rel, max_size) for path, rel in files]
    workers = workers or os.cpu_count() or 1
    if len(items) < PARALLEL_MIN_FILES or workers < 2:
        results = _scan_chunk(items)
    else:
        size = max(16, len(items) // (workers * 8))
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        results = []
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for chunk in pool.map(_scan_chunk, chunks):
                results.extend(chunk)
                if progress is not None:
                    progress("secrets", len(results), len(items))
    return {rel: hits for rel, hits, _ in results}, sorted(rel for rel, _, has in results if has)
