"""Every rule has a bad and a good fixture; findings are asserted by id, file and line.

Layout per rule, discovered from disk (a rule without fixtures fails):

    tests/rules/<ID>/bad/...        files the rule must flag
    tests/rules/<ID>/good/...       files the rule must not flag
    tests/rules/<ID>/expected.yaml  {bad: [{file: main.tf, line: 13}, ...]}

``expected.yaml`` may also set ``parameters:`` (as a policy pack would) for
rules that are inert without them, such as the allowed regions of ZD-GDPR-001.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from scanner.api import collect_resources
from scanner.config import ScanConfig
from scanner.engine.evaluate import evaluate
from scanner.engine.loader import builtin_dir
from scanner.engine.loader import load_rules

HERE = Path(__file__).resolve().parent
RULES = load_rules()
ACTIVE = sorted(r for r in RULES if RULES[r].status != "removed")


def _expected(rule_id: str) -> dict:
    path = HERE / rule_id / "expected.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _rule(rule_id: str):
    rule = RULES[rule_id]
    params = _expected(rule_id).get("parameters")
    return replace(rule, parameters={**rule.parameters, **params}) if params else rule


def _findings(rule_id: str, folder: Path):
    config = ScanConfig(root=str(folder))
    resources, diagnostics, _ = collect_resources([str(folder)], config)
    assert not diagnostics, f"fixture must parse cleanly: {diagnostics}"
    assert resources, f"no resources parsed from {folder}"
    return evaluate(resources, {rule_id: _rule(rule_id)})


@pytest.mark.parametrize("rule_id", ACTIVE)
def test_bad_fixture_is_flagged_at_expected_lines(rule_id: str) -> None:
    folder = HERE / rule_id
    expected_file = folder / "expected.yaml"
    assert expected_file.is_file(), f"{rule_id}: missing {expected_file.relative_to(HERE)}"
    expected = _expected(rule_id)["bad"]
    assert expected, f"{rule_id}: expected.yaml lists no finding"
    found = _findings(rule_id, folder / "bad")
    got = sorted((f.rule_id, f.file, f.line) for f in found)
    want = sorted((rule_id, e["file"], e["line"]) for e in expected)
    assert got == want


@pytest.mark.parametrize("rule_id", ACTIVE)
def test_good_fixture_is_not_flagged(rule_id: str) -> None:
    folder = HERE / rule_id / "good"
    assert folder.is_dir(), f"{rule_id}: missing good/ fixture"
    found = _findings(rule_id, folder)
    assert [(f.file, f.line, f.message) for f in found] == []


def test_every_fixture_folder_belongs_to_a_rule() -> None:
    folders = {p.name for p in HERE.iterdir() if p.is_dir() and p.name.startswith("ZD-")}
    assert folders - set(RULES) == set()


def test_every_schema_a_rule_checks_is_exercised_by_its_bad_fixture() -> None:
    """A rule with Terraform and CloudFormation matchers needs a bad case for each."""
    missing = []
    for rule_id in ACTIVE:
        config = ScanConfig(root=str(HERE / rule_id / "bad"))
        resources, _, _ = collect_resources([str(HERE / rule_id / "bad")], config)
        flagged = {f.resource for f in evaluate(resources, {rule_id: _rule(rule_id)})}
        schemas_hit = {r.schema for r in resources if r.name in flagged}
        for schema in RULES[rule_id].schemas:
            if schema not in schemas_hit:
                missing.append(f"{rule_id}: no bad fixture for {schema}")
    assert missing == []


def test_builtin_rules_dir_is_the_repository_rules() -> None:
    assert (builtin_dir("rules") / "aws").is_dir()
