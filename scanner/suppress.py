"""Inline suppressions and baselines: which findings are accepted, and why.

Inline, in any comment syntax (``#``, ``//``, ``/* */``), on the finding's
line, the line above it, or the line above its resource::

    # zerodrift:ignore ZD-AWS-001 reason="bastion SG, reviewed in SEC-123" expires=2027-03-31

detect-secrets' ``pragma: allowlist secret`` is honoured by the secrets engine
itself. A suppression without a reason, an expired one, or one naming an
unknown rule does not hide anything and is reported as a ZD-META-001 finding.
A baseline (``scanner.baseline``) accepts findings by fingerprint.

Suppressed findings are kept (``ScanResult.suppressed``), counted in every
report and written to SARIF as ``suppressions``.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from dataclasses import replace

from scanner.engine.evaluate import fingerprint
from scanner.model import Finding

META_RULE = "ZD-META-001"
_DIRECTIVE = re.compile(r"zerodrift:ignore\b(?P<body>[^\n]*)")
_IDS = re.compile(r"\bZD-[A-Z0-9]+(?:-[A-Z0-9]+)*-\d{3}\b")
_REASON = re.compile(r"""reason\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""")
_EXPIRES = re.compile(r"expires\s*=\s*(?P<date>\S+)")


@dataclass(frozen=True)
class Directive:
    line: int
    rule_ids: tuple[str, ...]
    reason: str
    expires: dt.date | None
    problem: str | None  # why it does not apply, if it does not


def parse_directives(text: str, known_rules: set[str], today: dt.date) -> dict[int, list[Directive]]:
    """{line: directives written on that line}."""
    out: dict[int, list[Directive]] = {}
    if "zerodrift:ignore" not in text:
        return out
    for number, line in enumerate(text.split("\n"), 1):
        match = _DIRECTIVE.search(line)
        if not match:
            continue
        body = match.group("body").rstrip(" */-")
        ids = tuple(_IDS.findall(body))
        reason_match = _REASON.search(body)
        reason = (reason_match.group("dq") if reason_match and reason_match.group("dq") is not None else reason_match.group("sq") if reason_match else "") or ""
        expires = None
        problem = None
        exp_match = _EXPIRES.search(body)
        if exp_match:
            try:
                expires = dt.date.fromisoformat(exp_match.group("date").strip("\"'"))
            except ValueError:
                problem = f"expires={exp_match.group('date')} is not a YYYY-MM-DD date"
        if not ids:
            problem = "names no rule id (zerodrift:ignore ZD-XXX-000 reason=\"...\")"
        elif not reason.strip():
            problem = "has no reason=\"...\""
        elif expires is not None and expires < today:
            problem = f"expired on {expires.isoformat()}"
        unknown = [i for i in ids if i not in known_rules]
        if unknown and problem is None:
            problem = f"names unknown rule {', '.join(unknown)}"
        out.setdefault(number, []).append(Directive(number, ids, reason.strip(), expires, problem))
    return out


class _Files:
    def __init__(self, root: str, known: set[str], today: dt.date) -> None:
        self.root, self.known, self.today = root, known, today
        self.cache: dict[str, dict[int, list[Directive]]] = {}

    def directives(self, file: str) -> dict[int, list[Directive]]:
        if file not in self.cache:
            path = file if os.path.isabs(file) else os.path.join(self.root, file)
            try:
                with open(path, encoding="utf-8", errors="replace") as fh:
                    text = fh.read(10 * 1024 * 1024)
            except OSError:
                text = ""
            self.cache[file] = parse_directives(text, self.known, self.today)
        return self.cache[file]


def apply_inline(findings: list[Finding], root: str, known_rules: set[str], today: dt.date | None = None,
                 scanned: list[str] = ()) -> tuple[list[Finding], list[Finding]]:
    """(active findings incl. ZD-META-001 ones, suppressed findings).  Every
    ``scanned`` file is checked for broken directives, not only those with findings."""
    files = _Files(root, known_rules, today or dt.date.today())
    for file in scanned:
        files.directives(file)
    active: list[Finding] = []
    suppressed: list[Finding] = []
    for f in findings:
        per_line = files.directives(f.file)
        candidates = [f.line, f.line - 1, f.resource_line, f.resource_line - 1]
        hit = next((d for n in candidates if n > 0 for d in per_line.get(n, ()) if f.rule_id in d.rule_ids and d.problem is None), None)
        if hit is None:
            active.append(f)
        else:
            suppressed.append(replace(f, properties={**f.properties, "suppression": {"kind": "inSource", "justification": hit.reason}}))
    for file in sorted(files.cache):
        for number, directives in sorted(files.cache[file].items()):
            for d in directives:
                if d.problem is not None:
                    active.append(meta_finding(file, number, f"this zerodrift:ignore {d.problem}, so it suppresses nothing"))
    return active, suppressed


def meta_finding(file: str, line: int, message: str) -> Finding:
    return Finding(
        rule_id=META_RULE, severity="medium", title="Suppression comment is invalid, expired or names an unknown rule",
        message=message, file=file, line=line, end_line=line, resource=file, resource_type="file", path="zerodrift:ignore",
        fix='Give the suppression a rule id and reason="...", renew or remove an expired one, and fix misspelt rule ids.',
        fingerprint=fingerprint(META_RULE, file, str(line), message),
    )
