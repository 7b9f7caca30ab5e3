"""Findings baselines: accept today's findings, report only new ones.

The file is versioned JSON holding, per accepted finding, its fingerprint,
rule id and file (never a secret: secret fingerprints are built from a hash
of the value). Fingerprints contain no line number, so a baseline survives
findings moving to other lines and unrelated edits. Older versions are
upgraded step by step by ``UPGRADES`` (as detect-secrets does); a newer
version than this zerodrift knows is a usage error.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from scanner import __version__
from scanner.errors import UsageError
from scanner.model import Finding

VERSION = 1
# version N -> function turning a version-N document into version N+1
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def document(findings: list[Finding]) -> dict[str, Any]:
    entries = sorted({(f.fingerprint, f.rule_id, f.file) for f in findings})
    return {
        "version": VERSION,
        "tool": {"name": "zerodrift", "version": __version__},
        "findings": [{"fingerprint": fp, "rule_id": rule, "file": file} for fp, rule, file in entries],
    }


def write(path: str, findings: list[Finding]) -> None:
    try:
        Path(path).write_text(json.dumps(document(findings), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write baseline {path}: {exc.strerror or exc}") from None


def load(path: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise UsageError(f"{path}: not a zerodrift baseline (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("version"), int) or not isinstance(data.get("findings"), list):
        raise UsageError(f"{path}: not a zerodrift baseline (needs 'version' and 'findings')")
    version = data["version"]
    if version > VERSION:
        raise UsageError(f"{path}: baseline version {version} is newer than this zerodrift understands ({VERSION}); upgrade zerodrift")
    while version < VERSION:
        data = UPGRADES[version](data)
        version = data["version"]
    return data


def fingerprints(path: str) -> set[str]:
    return {str(e.get("fingerprint")) for e in load(path)["findings"] if isinstance(e, dict)}


def apply(findings: list[Finding], accepted: set[str]) -> tuple[list[Finding], list[Finding]]:
    """(new findings, findings the baseline accepts)."""
    active, suppressed = [], []
    for f in findings:
        if f.fingerprint in accepted:
            suppressed.append(replace(f, properties={**f.properties, "suppression": {"kind": "external", "justification": "baseline"}}))
        else:
            active.append(f)
    return active, suppressed
