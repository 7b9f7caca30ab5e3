"""Grading drift: which ZD-DRIFT rule takes an attribute, missing or unmanaged
drift (the catalog is data in rules/drift/), and compliance drift (a policy
rule that passes on the desired side and fails on live, or the reverse).
"""
from __future__ import annotations

import fnmatch
from collections import defaultdict
from typing import Any

from scanner.drift.findings import rule_finding
from scanner.drift.model import COMPLIANCE
from scanner.drift.model import LIVE_STRICTER
from scanner.drift.model import UNMANAGED
from scanner.drift.model import Change
from scanner.engine.evaluate import run as run_rules
from scanner.engine.loader import Rule
from scanner.model import SEVERITY_RANK
from scanner.model import Finding
from scanner.model import Resource
from scanner.model import Selector
from scanner.model import Unknown

LIVE_STRICTER_RULE = "ZD-DRIFT-008"


def _schema_path(path: tuple) -> str:
    return ".".join(str(p) for p in path if isinstance(p, str) and not isinstance(p, Selector))


def _path_matches(patterns: tuple[str, ...], spath: str) -> bool:
    if not patterns:
        return True
    parts = spath.split(".") if spath else []
    prefixes = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    for pattern in patterns:
        if pattern.endswith("$"):
            if fnmatch.fnmatchcase(spath, pattern[:-1]):
                return True
        elif any(fnmatch.fnmatchcase(prefix, pattern) for prefix in prefixes):
            return True
    return False


def grade(kind: str, rtype: str, path: tuple, live: Resource | None, drift_rules: dict[str, Rule]) -> Rule | None:
    """The highest-severity drift rule whose check takes this drift."""
    spath = _schema_path(path)
    for rule in sorted(drift_rules.values(), key=lambda r: (-SEVERITY_RANK[r.severity], r.id)):
        for check in rule.checks:
            if check.schema != "drift" or kind not in check.types:
                continue
            if check.resources is not None and not any(
                fnmatch.fnmatchcase(rtype, glob) and _path_matches(patterns, spath) for glob, patterns in check.resources.items()
            ):
                continue
            if check.evaluate is not None:
                if live is None or not check.evaluate(live, rule.parameters)[0]:
                    continue
            return rule
    return None


def compliance(desired_set: list[Resource], live_set: list[Resource], rules: dict[str, Rule], drift_rules: dict[str, Rule],
                pairs: list, changes_of: dict[str, list[Change]], drift_findings: list[Finding | None]) -> list[Finding | None]:
    if not rules:
        return []
    desired = run_rules(desired_set, rules)
    live = run_rules(live_set, rules)
    live_hits: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in live.findings:
        live_hits[(f.rule_id, f.resource)].append(f)
    desired_hits: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in desired.findings:
        desired_hits[(f.rule_id, f.resource)].append(f)
    by_address = {p.obj.address: p for p in pairs if p.obj is not None}
    cross_object = {i for i, r in rules.items() if any(c.python for c in r.checks)}
    out: list[Finding | None] = []

    desired_by_name = {r.name: r for r in desired_set}

    def report(kind: str, rule_id: str, name: str, hits: list[Finding]) -> None:
        pair = by_address.get(name)
        if pair is None or pair.obj is None or pair.template is None or not hits:
            return  # an unmanaged object has no template side to compare with
        hit = min(hits, key=Finding.sort_key)
        changes = changes_of.get(pair.obj.address, [])
        if kind == COMPLIANCE and _already_failing(rule_id, pair.template.name, desired.findings, desired_by_name):
            return  # the templates fail it already, on a resource that configures this one (a standalone SG rule)
        if kind == COMPLIANCE:
            out.append(rule_finding(COMPLIANCE, rules[rule_id], rules[rule_id].severity, pair.obj, pair.template, hit, changes))
        elif LIVE_STRICTER_RULE in drift_rules:
            stricter = drift_rules[LIVE_STRICTER_RULE]
            out.append(rule_finding(LIVE_STRICTER, stricter, stricter.severity, pair.obj, pair.template, hit, changes, rules[rule_id]))

    # Cross-object rules may report on another object of the group on each side (a
    # namespace without default-deny: on the Namespace object when there is one, else
    # on its first workload). Where a rule reports at most once per group on both
    # sides, compare per group; elsewhere (a bucket without a public-access block
    # among several buckets), per resource like every other rule.
    group_of = {r.name: group_key(r) for r in desired_set + live_set}
    failing = {rule_id: (_by_group(desired.findings, rule_id, group_of), _by_group(live.findings, rule_id, group_of))
               for rule_id in cross_object}

    def per_group(rule_id: str, name: str) -> bool:
        if rule_id not in failing:
            return False
        group = group_of.get(name, "")
        return len(failing[rule_id][0].get(group, ())) <= 1 and len(failing[rule_id][1].get(group, ())) <= 1

    for (rule_id, file, name), verdict in sorted(live.verdicts.items()):
        if per_group(rule_id, name):
            continue
        before = desired.verdicts.get((rule_id, file, name))
        if before == "passed" and verdict == "failed":
            report(COMPLIANCE, rule_id, name, live_hits[(rule_id, name)])
        elif before == "failed" and verdict == "passed":
            report(LIVE_STRICTER, rule_id, name, desired_hits[(rule_id, name)])
    for rule_id in sorted(failing):
        failing_desired, failing_live = failing[rule_id]
        for group in sorted(set(failing_live) - set(failing_desired)):
            managed = [f for f in failing_live[group] if getattr(by_address.get(f.resource), "template", None) is not None]
            if managed and per_group(rule_id, managed[0].resource):
                report(COMPLIANCE, rule_id, managed[0].resource, managed)
        for group in sorted(set(failing_desired) - set(failing_live)):
            first = failing_desired[group][0]
            if per_group(rule_id, first.resource):
                report(LIVE_STRICTER, rule_id, first.resource, failing_desired[group])
    # an unmanaged object takes the worse of its drift grade and the worst rule failing on it
    worst: dict[str, list[Finding]] = defaultdict(list)
    for f in live.findings:
        worst[f.resource].append(f)
    for f in drift_findings:
        if f is None or f.properties["drift"]["kind"] != UNMANAGED:
            continue
        failing = sorted(worst.get(f.resource, []), key=lambda x: (-SEVERITY_RANK[x.severity], x.rule_id))
        if not failing:
            continue
        ids = sorted({x.rule_id for x in failing})
        f.properties["drift"]["failing_rules"] = ids
        f.message += f"; fails {', '.join(ids)}"
        if SEVERITY_RANK[failing[0].severity] > SEVERITY_RANK[f.severity]:
            f.severity = failing[0].severity
    return out


def _already_failing(rule_id: str, address: str, findings: list[Finding], resources: dict[str, Resource]) -> bool:
    """Whether ``rule_id`` fails on the desired side on a resource that refers to
    ``address`` (``security_group_id = aws_security_group.web.id``): live merges
    such resources into the one they configure, so the failure is not new."""
    for f in findings:
        res = resources.get(f.resource)
        if f.rule_id == rule_id and res is not None and f.resource != address and _refers(res.attributes, address):
            return True
    return False


def _refers(value: Any, address: str) -> bool:
    if isinstance(value, Unknown):
        return any(address + tail in value.expr for tail in (".", "[")) or value.expr == address
    if isinstance(value, dict):
        return any(_refers(v, address) for v in value.values())
    if isinstance(value, list):
        return any(_refers(v, address) for v in value)
    return False


def group_key(res: Resource) -> str:
    """The group a cross-object finding is about: a Namespace object stands for its own namespace."""
    if res.schema == "kubernetes" and res.type == "Namespace" and isinstance(res.attributes, dict):
        return f"namespace:{(res.attributes.get('metadata') or {}).get('name', '')}"
    return res.group


def _by_group(findings: list[Finding], rule_id: str, group_of: dict[str, str]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.rule_id == rule_id:
            out[group_of.get(f.resource, "")].append(f)
    return out
