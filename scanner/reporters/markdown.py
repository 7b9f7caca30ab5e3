"""Markdown report for pull-request comments and GitHub job summaries.

Layout (shared docs/integrations.md §5.2): a heading with the verdict, the
counts by severity, one line with the threshold, suppressed findings and file
problems, then a table of findings (severity, rule id, ``file#Lline`` link
relative to the scan root, message) in a ``<details>`` block, most severe and
failing first.  The table stops after ``MAX_ROWS`` rows or ``MAX_CHARS``
characters, whichever comes first, and ends with "N more; see code scanning".
``MAX_CHARS`` keeps a report inside one PR comment (65,536 characters) and far
under the 1 MiB limit of a step summary.

Everything taken from a finding is escaped: Markdown punctuation (pipes,
backticks, emphasis, brackets, ``$`` math), HTML (``&``, ``<``, ``>``) and
``@`` mentions; whitespace is folded to one line.  Only ``Finding.message``
(where secrets are already masked), the rule id, the file and the line are
shown.
"""
from __future__ import annotations

import re
from collections import Counter
from urllib.parse import quote

from scanner import RULE_DOCS_URL
from scanner.model import SEVERITIES
from scanner.model import SEVERITY_RANK
from scanner.model import Finding
from scanner.model import ScanResult

MAX_ROWS = 100
MAX_CHARS = 60_000
MAX_MESSAGE = 300

_PUNCTUATION = re.compile(r"([\\`*_\[\]|~$!])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escape(text: str) -> str:
    """``text`` as literal inline Markdown, safe in a table cell."""
    text = " ".join(str(text).split())
    text = "".join(_HTML.get(c, c) for c in text)
    text = _PUNCTUATION.sub(r"\\\1", text)
    return text.replace("@", "@\u2060")  # a word joiner: no @mention of users or teams


def _clip(text: str, limit: int = MAX_MESSAGE) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _link(f: Finding) -> str:
    anchor = f"{f.file}#L{f.line}"
    return f"[{escape(anchor)}]({quote(f.file, safe='/')}#L{f.line})"


def _row(f: Finding, failing: bool) -> str:
    severity = f.severity if failing or f.properties.get("in_diff") is not False else f"{f.severity} (outside the diff)"
    rule = f"[{f.rule_id}]({RULE_DOCS_URL}{quote(f.rule_id)}.md)"
    return f"| {escape(severity)} | {rule} | {_link(f)} | {escape(_clip(f.message))} |"


def render(result: ScanResult, *, color: bool = False, fail_on: str = "high") -> str:
    counts = Counter(f.severity for f in result.findings)
    failing = result.worst_at_or_above(fail_on)
    failing_ids = {id(f) for f in failing}
    if failing:
        heading = f"## zerodrift: {len(failing)} finding(s) at or above {fail_on}"
    elif result.findings:
        heading = f"## zerodrift: nothing at or above {fail_on}"
    else:
        heading = "## zerodrift: no findings"
    out = [heading, "", "| severity | findings |", "|---|---:|"]
    out += [f"| {s} | {counts[s]} |" for s in SEVERITIES]
    out += [f"| **total** | **{len(result.findings)}** |", ""]
    facts = [f"{len(failing)} failing at or above `{fail_on}`",
             f"{result.files_scanned} file(s) and {result.resources_scanned} resource(s) scanned"]
    outside = sum(1 for f in result.findings if f.properties.get("in_diff") is False)
    if outside:
        facts.append(f"{outside} outside the diff (not failing)")
    inline = sum(1 for f in result.suppressed if f.properties.get("suppression", {}).get("kind") == "inSource")
    if "drift" in result.properties:
        facts.append(f"{len(result.suppressed)} ignored by the drift ignore file")
    else:
        facts.append(f"{len(result.suppressed)} suppressed ({inline} inline, {len(result.suppressed) - inline} by baseline)")
    if result.diagnostics:
        facts.append(f"{len(result.diagnostics)} file(s) could not be scanned fully")
    out += [" · ".join(facts), ""]
    if result.findings:
        ordered = sorted(result.findings, key=lambda f: (id(f) not in failing_ids, -SEVERITY_RANK[f.severity], f.sort_key()))
        out += ["<details open>", "<summary>Findings</summary>", "", "| severity | rule | location | message |", "|---|---|---|---|"]
        size = sum(len(line) + 1 for line in out)
        shown = 0
        for f in ordered:
            row = _row(f, id(f) in failing_ids)
            if shown >= MAX_ROWS or size + len(row) + 1 > MAX_CHARS:
                break
            out.append(row)
            size += len(row) + 1
            shown += 1
        out += ["", "</details>", ""]
        if shown < len(ordered):
            out += [f"{len(ordered) - shown} more; see code scanning.", ""]
    return "\n".join(out)
