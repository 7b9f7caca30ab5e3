"""Fixture tests for rules: the same checks for built-in and custom rules.

A rule ``ID`` has a folder ``<fixtures>/<ID>/`` with ``bad/`` (files the rule
must flag), ``good/`` (files it must not flag) and ``expected.yaml``::

    parameters: {allowed_regions: [eu-west-1]}   # optional, as a policy pack would set
    bad:
      - {file: main.tf, line: 13}

``check_rule`` returns the problems found (empty when the rule behaves).
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from scanner.api import collect_resources
from scanner.api import evaluate_candidates
from scanner.config import ScanConfig
from scanner.discovery import discover
from scanner.engine.loader import Rule
from scanner.errors import ParseError
from scanner.parsers.safe_yaml import load_documents
from scanner.suppress import META_RULE
from scanner.suppress import apply_inline


@lru_cache(maxsize=1)
def _builtin_ids() -> frozenset[str]:
    from scanner.engine.loader import load_rules

    return frozenset(load_rules())


def load_expected(folder: Path) -> dict:
    path = folder / "expected.yaml"
    if not path.is_file():
        return {}
    try:
        docs = load_documents(path.read_text(encoding="utf-8"))
    except (OSError, ParseError) as exc:
        raise ValueError(f"{path}: {exc}") from None
    value = docs[0].value if docs else None
    return value if isinstance(value, dict) else {}


def with_fixture_parameters(rule: Rule, folder: Path) -> Rule:
    params = load_expected(folder).get("parameters")
    return replace(rule, parameters={**rule.parameters, **params}) if isinstance(params, dict) else rule


def _scan(rule: Rule, folder: Path, problems: list[str]) -> tuple[list, list]:
    config = ScanConfig(root=str(folder))
    diagnostics: list = []
    candidates = list(discover([str(folder)], str(folder), (), diagnostics, every_file=True))
    resources, parse_diags, _ = collect_resources([], config, candidates)
    for d in diagnostics + parse_diags:
        problems.append(f"{folder.name}/{d.file}: does not parse cleanly: {d.reason}")
    evaluation, _, _, _, directive_files = evaluate_candidates(candidates, {rule.id: rule}, config)
    # inline suppressions apply as in a scan; ZD-META-001 findings count only for that rule
    active = apply_inline(evaluation.findings, str(folder), _builtin_ids() | {rule.id}, scanned=directive_files)[0]
    evaluation.findings = [f for f in active if f.rule_id != META_RULE or rule.id == META_RULE]
    if not resources and not any(c.schema == "secrets" for c in rule.checks):
        problems.append(f"{folder.name}/: no resources parsed")
    return resources, evaluation.findings


def _drift_findings(rule: Rule, folder: Path, live: str, source: str | None, problems: list[str]) -> list:
    """The drift findings of ``rule`` for the templates in ``folder`` against its live file."""
    from scanner.drift.run import DriftConfig
    from scanner.drift.run import drift
    from scanner.errors import UsageError

    try:
        result = drift(DriftConfig(templates=(str(folder),), live=str(folder / live), source=source, scan=ScanConfig(root=str(folder))))
    except UsageError as exc:
        problems.append(f"{folder.name}/: drift failed: {exc}")
        return []
    for d in result.diagnostics:
        problems.append(f"{folder.name}/{d.file}: {d.reason}")
    return [f for f in result.findings if f.rule_id == rule.id]


def _check_drift_rule(rule: Rule, folder: Path, expected: dict, problems: list[str]) -> list[str]:
    live = expected.get("live")
    if not isinstance(live, str):
        return problems + [f"{folder / 'expected.yaml'}: a drift rule's fixtures name their live file (live: live.json)"]
    source = expected.get("source")
    found = _drift_findings(rule, folder / "bad", live, source, problems)
    got = sorted((f.file, f.line) for f in found)
    want = sorted((str(e.get("file")), int(e.get("line", 0))) for e in expected.get("bad") or [])
    for file, line in sorted(set(want) - set(got)):
        problems.append(f"bad/{file}:{line}: expected a finding, got none")
    for file, line in sorted(set(got) - set(want)):
        problems.append(f"bad/{file}:{line}: unexpected finding")
    for f in _drift_findings(rule, folder / "good", live, source, problems):
        problems.append(f"good/{f.file}:{f.line}: flagged ({f.message})")
    return problems


def check_rule(rule: Rule, folder: Path) -> list[str]:
    problems: list[str] = []
    for part in ("bad", "good"):
        if not (folder / part).is_dir():
            problems.append(f"missing {part}/ fixture in {folder}")
    try:
        expected = load_expected(folder)
    except ValueError as exc:
        return problems + [str(exc)]
    wanted = expected.get("bad") or []
    if not wanted:
        problems.append(f"{folder / 'expected.yaml'} lists no finding for bad/")
    if problems:
        return problems
    rule = with_fixture_parameters(rule, folder)
    if rule.schemas == ["drift"]:
        return _check_drift_rule(rule, folder, expected, problems)
    resources, found = _scan(rule, folder / "bad", problems)
    got = sorted((f.file, f.line) for f in found)
    want = sorted((str(e.get("file")), int(e.get("line", 0))) for e in wanted)
    for file, line in sorted(set(want) - set(got)):
        problems.append(f"bad/{file}:{line}: expected a finding, got none")
    for file, line in sorted(set(got) - set(want)):
        problems.append(f"bad/{file}:{line}: unexpected finding")
    flagged = {f.resource for f in found}
    hit_schemas = {r.schema for r in resources if r.name in flagged}
    if any(f.resource_type == "file" for f in found):
        hit_schemas.update(("secrets", "zerodrift"))
    for schema in rule.schemas:
        if schema not in hit_schemas:
            problems.append(f"bad/: no case for the {schema} check")
    _, good_found = _scan(rule, folder / "good", problems)
    for f in good_found:
        problems.append(f"good/{f.file}:{f.line}: flagged ({f.message})")
    return problems
