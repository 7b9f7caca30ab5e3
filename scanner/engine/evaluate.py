"""Run rules over resources and produce findings with precise locations."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field

from scanner.engine import checks as python_checks
from scanner.engine.loader import Check
from scanner.engine.loader import Rule
from scanner.engine.paths import get
from scanner.model import Finding
from scanner.model import Resource
from scanner.model import format_path

MAX_VALUE_IN_MESSAGE = 80
_SENSITIVE_KEY = re.compile(r"(?i)passw|secret|token|private_?key|api_?key|access_?key|credential|auth")


def fingerprint(*parts: str) -> str:
    """Stable across line moves: rule, file, resource and attribute path."""
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:32]


def _index(rules: dict[str, Rule]) -> dict[tuple[str, str], list[tuple[Rule, Check]]]:
    index: dict[tuple[str, str], list[tuple[Rule, Check]]] = {}
    for rule_id in sorted(rules):
        rule = rules[rule_id]
        for check in rule.checks:
            for rtype in check.types:
                index.setdefault((check.schema, rtype), []).append((rule, check))
    return index


def _value_text(resource: Resource, path: tuple) -> str:
    try:
        value = get(resource.attributes, path)
    except (KeyError, IndexError, TypeError):
        return ""
    if isinstance(value, (dict, list)):
        return ""
    if isinstance(value, bool) or value is None:
        text = {True: "true", False: "false", None: "null"}[value]
    elif any(_SENSITIVE_KEY.search(str(part)) for part in path if isinstance(part, str)):
        return "[REDACTED]"  # never print what a credential-named attribute holds
    else:
        text = str(value)
    return text if len(text) <= MAX_VALUE_IN_MESSAGE else text[: MAX_VALUE_IN_MESSAGE - 3] + "..."


def _message(rule: Rule, check: Check, resource: Resource, path: tuple, detail: str | None) -> str:
    if check.message:
        fields = {"resource": resource.name, "path": format_path(path), "value": _value_text(resource, path)}
        text = check.message.format_map(_Default(fields))
    else:
        text = f"{resource.name}: {rule.title}"
    if detail:
        text += f" ({detail})"
    return text


class _Default(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass
class RuleStats:
    """How often a rule was evaluated and with what verdict (one per resource)."""

    passed: int = 0
    failed: int = 0
    unknown: int = 0


@dataclass
class Evaluation:
    findings: list[Finding]
    stats: dict[str, RuleStats] = field(default_factory=dict)
    # (rule id, file, resource name) -> passed | failed | unknown, for every
    # rule that applied to a resource (drift compares these across two runs)
    verdicts: dict[tuple[str, str, str], str] = field(default_factory=dict)


def evaluate(resources: Iterable[Resource], rules: dict[str, Rule]) -> list[Finding]:
    """Findings only (see ``run`` for the verdict counts too)."""
    return run(resources, rules).findings


def run(resources: Iterable[Resource], rules: dict[str, Rule]) -> Evaluation:
    resources = list(resources)
    index = _index(rules)
    by_group: dict[str, list[Resource]] = {}
    for res in resources:
        by_group.setdefault(res.group, []).append(res)
    ctx = python_checks.Context(by_group)
    findings: dict[tuple, Finding] = {}
    stats = {rule_id: RuleStats() for rule_id in rules}
    all_verdicts: dict[tuple[str, str, str], str] = {}
    for res in resources:
        verdicts: dict[str, str] = {}
        candidates = index.get((res.schema, res.type), []) + index.get((res.schema, "*"), [])
        for rule, check in candidates:
            hits, unknown = _hits(rule, check, res, ctx)
            previous = verdicts.get(rule.id)
            verdict = "failed" if hits else ("unknown" if unknown else "passed")
            if previous is None or _VERDICT_RANK[verdict] > _VERDICT_RANK[previous]:
                verdicts[rule.id] = verdict
            for path, detail in hits:
                key = (rule.id, res.file, res.name, path)
                if key in findings:
                    continue
                line = res.line_of(path)
                findings[key] = Finding(
                    rule_id=rule.id,
                    severity=rule.severity,
                    title=rule.title,
                    message=_message(rule, check, res, path, detail),
                    file=res.file,
                    line=line,
                    end_line=line,
                    resource=res.name,
                    resource_type=res.type,
                    path=format_path(path),
                    fix=rule.fix,
                    fingerprint=fingerprint(rule.id, res.file, res.name, format_path(path)),
                    resource_line=res.start_line,
                )
        for rule_id, verdict in verdicts.items():
            counts = stats[rule_id]
            setattr(counts, verdict, getattr(counts, verdict) + 1)
            all_verdicts[(rule_id, res.file, res.name)] = verdict
    return Evaluation(sorted(findings.values(), key=Finding.sort_key), stats, all_verdicts)


_VERDICT_RANK = {"passed": 0, "unknown": 1, "failed": 2}


def _hits(rule: Rule, check: Check, res: Resource, ctx: python_checks.Context) -> tuple[list[tuple[tuple, str | None]], bool]:
    if check.evaluate is not None:
        paths, unknown = check.evaluate(res, rule.parameters)
        return [(path, None) for path in paths], unknown
    if check.python is None:  # a secrets check: never matches a resource
        return [], False
    return list(python_checks.CHECKS[check.python](res, ctx, rule.parameters)), False
