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
from pathlib import Path

from scanner.api import collect_resources
from scanner.config import ScanConfig
from scanner.engine.evaluate import evaluate
from scanner.engine.loader import Rule
from scanner.errors import ParseError
from scanner.parsers.safe_yaml import load_documents


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
    resources, diagnostics, _ = collect_resources([str(folder)], ScanConfig(root=str(folder)))
    for d in diagnostics:
        problems.append(f"{folder.name}/{d.file}: does not parse cleanly: {d.reason}")
    if not resources:
        problems.append(f"{folder.name}/: no resources parsed")
    return resources, evaluate(resources, {rule.id: rule})


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
    resources, found = _scan(rule, folder / "bad", problems)
    got = sorted((f.file, f.line) for f in found)
    want = sorted((str(e.get("file")), int(e.get("line", 0))) for e in wanted)
    for file, line in sorted(set(want) - set(got)):
        problems.append(f"bad/{file}:{line}: expected a finding, got none")
    for file, line in sorted(set(got) - set(want)):
        problems.append(f"bad/{file}:{line}: unexpected finding")
    flagged = {f.resource for f in found}
    hit_schemas = {r.schema for r in resources if r.name in flagged}
    for schema in rule.schemas:
        if schema not in hit_schemas:
            problems.append(f"bad/: no case for the {schema} check")
    _, good_found = _scan(rule, folder / "good", problems)
    for f in good_found:
        problems.append(f"good/{f.file}:{f.line}: flagged ({f.message})")
    return problems
