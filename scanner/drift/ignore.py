"""The drift ignore file (``drift-ignore.yaml``): accepted drift, each entry
with a reason and an optional expiry.

    version: 1
    rules:
      - match: {source: kubernetes, kind: Deployment, namespace: "*", name: web}
        jsonPointers: ["/spec/replicas"]
        reason: "scaled by the HPA"
        expires: 2027-03-31

An entry hides the drift findings it matches (they stay in reports as
suppressed, with the reason as the justification). An expired entry hides
nothing and is reported. Compliance drift (a policy rule that now fails on
live) is hidden only by an entry with ``allow_security: true``. A broken file
is a usage error (exit 2), like a broken rule file.
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import re
from dataclasses import dataclass
from dataclasses import replace
from pathlib import Path
from typing import Any

from scanner.drift.model import COMPLIANCE
from scanner.drift.model import k8s_address_parts
from scanner.engine.loader import validate
from scanner.errors import ParseError
from scanner.errors import UsageError
from scanner.model import Diagnostic
from scanner.model import Finding
from scanner.model import Selector
from scanner.model import format_path
from scanner.parsers.safe_yaml import load_documents


@dataclass(frozen=True)
class Entry:
    number: int  # 1-based position in the file
    match: dict[str, str]
    paths: tuple[str, ...]
    pointers: tuple[str, ...]
    reason: str
    expires: dt.date | None
    allow_security: bool


def load(path: str) -> list[Entry]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--ignore-file {path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        docs = load_documents(text)
    except ParseError as exc:
        raise UsageError(f"{path}:{exc.line or 1}: {exc.reason}") from None
    data: Any = docs[0].value if docs else None
    validate(data, "drift-ignore.schema.json", Path(path))
    entries = []
    for number, raw in enumerate(data["rules"], 1):
        expires = None
        if "expires" in raw:
            try:
                expires = dt.date.fromisoformat(raw["expires"])
            except ValueError:
                raise UsageError(f"{path}: rule {number}: expires {raw['expires']!r} is not a date (YYYY-MM-DD)") from None
        entries.append(Entry(number, {k: str(v) for k, v in raw["match"].items()}, tuple(raw.get("paths", ())),
                             tuple(raw.get("jsonPointers", ())), raw["reason"].strip(), expires, bool(raw.get("allow_security"))))
    return entries


_MODULES = re.compile(r"^(?:module\.[^.\[]+(?:\[[^\]]*\])?\.)*")


def _identity(drift: dict, rule_id: str) -> dict[str, str]:
    ident = {"source": drift["source"], "type": drift["type"], "address": drift["address"], "id": drift.get("native_id", ""),
             "rule": drift.get("rule") or rule_id}
    if drift["source"] == "kubernetes":
        group, kind, namespace, name = k8s_address_parts(drift["address"])
        ident.update(group=group, k8s_kind=kind, namespace=namespace, name=name)
    else:  # module.a[0].aws_s3_bucket.logs.example.com["x"] -> logs.example.com
        rest = _MODULES.sub("", drift["address"]).removeprefix("data.")
        ident["name"] = re.sub(r"\[[^\]]*\]$", "", rest.split(".", 1)[1] if "." in rest else rest)
    return ident


def _path_forms(drift: dict) -> set[str]:
    """Every way a user may write the drifted path (or one of its ancestors)."""
    path = tuple(drift["path_parts"])
    forms = set()
    for end in range(1, len(path) + 1):
        part = path[:end]
        forms.add(format_path(part))
        forms.add(format_path(tuple(p for p in part if not isinstance(p, (int, Selector)))))
    if drift["kind"] == COMPLIANCE:  # the rule's path, and the attribute drifts that caused it
        for text in [drift.get("path", "")] + list(drift.get("caused_by", [])):
            pieces = re.split(r"(?=[.\[])", text)
            forms.update("".join(pieces[:i]).lstrip(".") for i in range(1, len(pieces) + 1))
            forms.add(re.sub(r"\[[^\]]*\]", "", text))
    return {f for f in forms if f}


def _pointer_matches(drift: dict, wanted: str) -> bool:
    """``wanted`` (an RFC 6901 pointer; a number matches any list position or
    [key=value] selector) covers the drifted path or the live pointer."""
    want = [p.replace("~1", "/").replace("~0", "~") for p in wanted.strip("/").split("/")] if wanted.strip("/") else []
    path = tuple(drift["path_parts"])
    live = [p.replace("~1", "/").replace("~0", "~") for p in drift.get("pointer", "").strip("/").split("/")] if drift.get("pointer") else None
    for candidate in ([str(p) for p in path], live):
        if candidate is None or len(candidate) < len(want):
            continue
        if all(w == c or (w.isdigit() and (c.isdigit() or "=" in c)) for w, c in zip(want, candidate)):
            return True
    return False


def _matches(entry: Entry, drift: dict, rule_id: str) -> bool:
    ident = _identity(drift, rule_id)
    for key, pattern in entry.match.items():
        if key == "kind":
            if pattern not in (drift["kind"], ident.get("k8s_kind")) and not (
                fnmatch.fnmatchcase(drift["kind"], pattern) or fnmatch.fnmatchcase(ident.get("k8s_kind", ""), pattern)):
                return False
        elif ident.get(key, "") != pattern and not fnmatch.fnmatchcase(ident.get(key, ""), pattern):
            return False  # a literal value matches as written, even with [0] in it
    if not entry.paths and not entry.pointers:
        return True
    forms = _path_forms(drift)
    if any(fnmatch.fnmatchcase(form, pattern) for form in forms for pattern in entry.paths):
        return True
    return any(_pointer_matches(drift, want) for want in entry.pointers)


def baseline(findings: list[Finding], today: dt.date, expires: dt.date) -> str:
    """An ignore file accepting today's unmanaged and missing objects (driftctl's
    ``gen-driftignore``): one entry per object, reason ``baseline <date>``, with an
    expiry so the exceptions come back for review. Attribute drift is not
    baselined: it is a change to revert or to commit."""
    import yaml

    rules = []
    seen = set()
    for f in sorted(findings, key=lambda f: (f.properties.get("drift", {}).get("address", ""), f.rule_id)):
        drift = f.properties.get("drift")
        if not drift or drift["kind"] not in ("unmanaged", "missing"):
            continue
        key = (drift["source"], drift["kind"], drift["address"])
        if key in seen:
            continue
        seen.add(key)
        rules.append({"match": {"source": drift["source"], "kind": drift["kind"], "address": drift["address"]},
                      "reason": f"baseline {today.isoformat()}: {drift['kind']} when the baseline was taken ({f.rule_id})",
                      "expires": expires.isoformat()})
    header = ("# zerodrift drift ignore file written by --write-ignore: today's unmanaged and missing objects.\n"
              "# Review every entry, replace the reason with a real one, or delete it to see the drift again.\n")
    return header + yaml.safe_dump({"version": 1, "rules": rules}, sort_keys=False, default_flow_style=False)


def apply(findings: list[Finding], entries: list[Entry], source_file: str, today: dt.date | None = None) -> tuple[list[Finding], list[Finding], list[Diagnostic]]:
    """(active, suppressed, diagnostics about expired entries)."""
    today = today or dt.date.today()
    live = [e for e in entries if e.expires is None or e.expires >= today]
    diagnostics = [Diagnostic(source_file, None, f"rule {e.number} expired on {e.expires.isoformat()}: its drift is reported again ({e.reason})", "warning")
                   for e in entries if e.expires is not None and e.expires < today]
    active, suppressed = [], []
    for f in findings:
        drift = f.properties.get("drift")
        entry = None
        if drift is not None:
            entry = next((e for e in live if _matches(e, drift, f.rule_id) and (drift["kind"] != COMPLIANCE or e.allow_security)), None)
        if entry is None:
            active.append(f)
            continue
        props = {**f.properties, "suppression": {"kind": "external", "justification": entry.reason,
                                                 "location": {"physicalLocation": {"artifactLocation": {"uri": Path(source_file).name}}}}}
        suppressed.append(replace(f, properties=props))
    return active, suppressed, diagnostics
