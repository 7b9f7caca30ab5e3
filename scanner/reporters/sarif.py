"""SARIF 2.1.0 for GitHub code scanning (checklist: shared docs/integrations.md §2).

One run; ``tool.driver.rules`` holds every rule a result references (sorted,
``ruleIndex`` consistent); URIs are relative to ``%SRCROOT%``; regions carry
start/end line and UTF-16 columns of the whole line; ``partialFingerprints``
holds our own line-independent key and never ``primaryLocationLineHash``
(``upload-sarif`` computes that one); diagnostics become
``toolExecutionNotifications``.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from scanner import INFORMATION_URI
from scanner import RULE_DOCS_URL
from scanner import __version__
from scanner.engine.loader import Rule
from scanner.model import ScanResult

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "2.0"}
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
MAX_TEXT = 1024
REDACTION_TOKEN = "…"  # what replaces the hidden part of a masked secret


def _clip(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def rule_descriptor(rule: Rule, extra_tags: tuple[str, ...] = ()) -> dict:
    frameworks = [f"{name} {', '.join(ids)}" for name, ids in sorted(rule.frameworks.items())]
    markdown = [
        f"**{rule.title}**",
        "",
        rule.why,
        "",
        f"**How to fix:** {rule.fix}",
    ]
    if frameworks:
        markdown += ["", "**Frameworks:** " + "; ".join(frameworks)]
    markdown += ["", "**References:**"] + [f"- {ref}" for ref in rule.references]
    # GitHub shows at most 10 tags: security and CWE first, then frameworks, pillar, domain
    tags = ["security", *extra_tags] + [f"external/cwe/{c.lower()}" for c in rule.cwe]
    tags += sorted(rule.frameworks) + [f"zero-trust-{rule.pillar}", rule.domain]
    tags += [t for t in rule.tags if t not in tags]
    tags = list(dict.fromkeys(tags))
    props: dict = {"tags": tags[:10], "precision": {"high": "high", "medium": "medium", "low": "low"}[rule.confidence]}
    props["frameworks"] = {k: list(v) for k, v in sorted(rule.frameworks.items())}
    if rule.severity in SECURITY_SEVERITY:
        props["security-severity"] = SECURITY_SEVERITY[rule.severity]
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": _clip(rule.title)},
        "fullDescription": {"text": _clip(rule.description)},
        "help": {"text": _clip(f"{rule.why} Fix: {rule.fix}"), "markdown": "\n".join(markdown)},
        "helpUri": f"{RULE_DOCS_URL}{rule.id}.md",
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": props,
    }


class _Lines:
    """Line lengths in UTF-16 code units, read once per file."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.cache: dict[str, list[str] | None] = {}

    def width(self, file: str, line: int) -> int | None:
        if file not in self.cache:
            path = file if os.path.isabs(file) else os.path.join(self.root, file)
            try:
                with open(path, encoding="utf-8-sig", errors="replace") as fh:
                    self.cache[file] = fh.read().splitlines()
            except OSError:
                self.cache[file] = None
        lines = self.cache[file]
        if not lines or line > len(lines):
            return None
        return len(lines[line - 1].encode("utf-16-le")) // 2


def _artifact(file: str) -> dict:
    if os.path.isabs(file):
        return {"uri": Path(file).as_uri()}
    return {"uri": quote(file, safe="/"), "uriBaseId": "%SRCROOT%"}


def _region(lines: _Lines, file: str, start: int, end: int) -> dict:
    region: dict = {"startLine": start, "startColumn": 1, "endLine": max(end, start)}
    width = lines.width(file, region["endLine"])
    region["endColumn"] = (width if width is not None else 0) + 1
    return region


def _logical(f) -> dict:
    """The resource; for drift, its live identity too (uid, ARN, import id) as the name."""
    loc = {"kind": "resource", "fullyQualifiedName": f.resource}
    native = f.properties.get("drift", {}).get("native_id")
    if native:
        loc["name"] = native
    return loc


def to_dict(result: ScanResult, *, fail_on: str = "high") -> dict:
    everything = sorted(result.findings + result.suppressed, key=lambda f: f.sort_key())
    used = sorted({f.rule_id for f in everything})
    index = {rule_id: i for i, rule_id in enumerate(used)}
    lines = _Lines(result.root)
    results = []
    for f in everything:
        entry = {
            "ruleId": f.rule_id,
            "ruleIndex": index[f.rule_id],
            "level": "note" if f.properties.get("in_diff") is False else LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [{
                "physicalLocation": {"artifactLocation": _artifact(f.file), "region": _region(lines, f.file, f.line, f.end_line)},
                "logicalLocations": [_logical(f)],
            }],
            "partialFingerprints": {"zerodrift/v1": f.fingerprint},
            "properties": {"severity": f.severity, "resourceType": f.resource_type, "attributePath": f.path,
                           **({"secret": f.properties["secret"]} if "secret" in f.properties else {}),
                           **({k: f.properties[k] for k in ("also_reported_by", "engine", "drift") if k in f.properties})},
        }
        if "suppression" in f.properties:
            entry["suppressions"] = [dict(f.properties["suppression"])]
        results.append(entry)
    notifications = []
    for d in result.diagnostics:
        note: dict = {"level": "error" if d.level == "error" else "warning", "message": {"text": f"{d.file}: {d.reason}"}}
        phys: dict = {"artifactLocation": _artifact(d.file)}
        if d.line:
            phys["region"] = {"startLine": d.line}
        note["locations"] = [{"physicalLocation": phys}]
        notifications.append(note)
    root_uri = Path(result.root).resolve().as_uri().rstrip("/") + "/"
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "zerodrift",
                "semanticVersion": __version__,
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(result.rules[rule_id], ("drift",) if "drift" in result.properties else ()) for rule_id in used],
            }},
            "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri}},
            "columnKind": "utf16CodeUnits",
            "redactionTokens": [REDACTION_TOKEN, "[REDACTED]"],
            "results": results,
            "properties": {"filesScanned": result.files_scanned, "resourcesScanned": result.resources_scanned, "failOn": fail_on,
                           **({"drift": result.properties["drift"]} if "drift" in result.properties else {})},
        }],
    }


def render(result: ScanResult, *, color: bool = False, fail_on: str = "high") -> str:
    return json.dumps(to_dict(result, fail_on=fail_on), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
