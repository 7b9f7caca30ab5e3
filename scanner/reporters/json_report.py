"""JSON report: a documented, stable, sorted structure (``docs/json-format.md``)."""
from __future__ import annotations

import json
from collections import Counter

from scanner import __version__
from scanner.model import SEVERITIES
from scanner.model import ScanResult
from scanner.posture import posture

SCHEMA_VERSION = 1


def to_dict(result: ScanResult, *, fail_on: str = "high") -> dict:
    counts = Counter(f.severity for f in result.findings)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "zerodrift", "version": __version__},
        "summary": {
            "files_scanned": result.files_scanned,
            "resources_scanned": result.resources_scanned,
            "rules_evaluated": len(result.rules),
            "findings": len(result.findings),
            "by_severity": {s: counts[s] for s in SEVERITIES},
            "fail_on": fail_on,
            "failing": len(result.worst_at_or_above(fail_on)),
            "diagnostics": len(result.diagnostics),
            "suppressed": len(result.suppressed),
        },
        "findings": [_finding(f) for f in result.findings],
        "suppressed": [{**_finding(f), "suppression": f.properties["suppression"]} for f in result.suppressed],
        "diagnostics": [
            {"file": d.file, "line": d.line, "level": d.level, "reason": d.reason} for d in result.diagnostics
        ],
        "posture": posture(result),
        **({"drift": result.properties["drift"]} if "drift" in result.properties else {}),
    }


def _finding(f) -> dict:
    return {
        "rule_id": f.rule_id,
        "severity": f.severity,
        "title": f.title,
        "message": f.message,
        "file": f.file,
        "line": f.line,
        "end_line": f.end_line,
        "resource": f.resource,
        "resource_type": f.resource_type,
        "path": f.path,
        "fix": f.fix,
        "fingerprint": f.fingerprint,
        **({"secret": f.properties["secret"]} if "secret" in f.properties else {}),
        **({"in_diff": f.properties["in_diff"]} if "in_diff" in f.properties else {}),
        **({k: f.properties[k] for k in ("also_reported_by", "engine", "drift") if k in f.properties}),
    }


def render(result: ScanResult, *, color: bool = False, fail_on: str = "high") -> str:
    return json.dumps(to_dict(result, fail_on=fail_on), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
