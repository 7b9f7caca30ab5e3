"""Posture summary: verdict counts per framework control and per zero-trust pillar.

Each (rule, resource) evaluation counts once: *failed* when the rule reported
the resource, *unknown* when a value it depends on could not be resolved, and
*passed* otherwise. A control's counts add up the evaluations of every rule
mapped to it; a control is failing when any of them failed.
"""
from __future__ import annotations

from typing import Any

from scanner.model import ScanResult


def _blank() -> dict[str, int]:
    return {"passed": 0, "failed": 0, "unknown": 0}


def posture(result: ScanResult) -> dict[str, Any]:
    frameworks: dict[str, dict[str, dict[str, Any]]] = {}
    pillars: dict[str, dict[str, int]] = {}
    for rule_id in sorted(result.rules):
        rule = result.rules[rule_id]
        counts = result.stats.get(rule_id)
        if counts is None or not (counts.passed or counts.failed or counts.unknown):
            continue  # nothing in the scan this rule applies to
        verdicts = {"passed": counts.passed, "failed": counts.failed, "unknown": counts.unknown}
        pillar = pillars.setdefault(rule.pillar, _blank())
        for key, value in verdicts.items():
            pillar[key] += value
        for framework, controls in rule.frameworks.items():
            for control in controls:
                entry = frameworks.setdefault(framework, {}).setdefault(control, {**_blank(), "rules": []})
                for key, value in verdicts.items():
                    entry[key] += value
                entry["rules"].append(rule_id)
    return {
        "frameworks": {fw: dict(sorted(ctrls.items(), key=lambda kv: _control_key(kv[0]))) for fw, ctrls in sorted(frameworks.items())},
        "pillars": dict(sorted(pillars.items())),
    }


def _control_key(control: str) -> list:
    """Sort "1.10" after "1.9" and "AC-6(9)" after "AC-6"."""
    parts = []
    for token in control.replace("(", ".").replace(")", "").replace("-", ".").split("."):
        parts.append((0, int(token), "") if token.isdigit() else (1, 0, token))
    return parts
