"""Every rule has a bad and a good fixture; findings are asserted by id, file and line.

Layout per rule, discovered from disk (a rule without fixtures fails):

    tests/rules/<ID>/bad/...        files the rule must flag
    tests/rules/<ID>/good/...       files the rule must not flag
    tests/rules/<ID>/expected.yaml  {bad: [{file: main.tf, line: 13}, ...]}

The checks themselves live in ``scanner.ruletest`` so that ``zerodrift rules
test`` applies exactly the same ones to users' custom rules.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from scanner.engine.evaluate import evaluate
from scanner.engine.loader import builtin_dir
from scanner.engine.loader import load_rules
from scanner.ruletest import check_rule

HERE = Path(__file__).resolve().parent
RULES = load_rules()
ACTIVE = sorted(r for r in RULES if RULES[r].status != "removed")


@pytest.mark.parametrize("rule_id", ACTIVE)
def test_rule_fixtures(rule_id: str) -> None:
    assert check_rule(RULES[rule_id], HERE / rule_id) == []


def test_findings_carry_the_rule_id() -> None:
    from scanner.api import collect_resources
    from scanner.config import ScanConfig

    folder = HERE / "ZD-AWS-001" / "bad"
    resources, _, _ = collect_resources([str(folder)], ScanConfig(root=str(folder)))
    assert {f.rule_id for f in evaluate(resources, {"ZD-AWS-001": RULES["ZD-AWS-001"]})} == {"ZD-AWS-001"}


def test_a_wrong_expected_line_is_reported(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(HERE / "ZD-AWS-001", tmp_path / "ZD-AWS-001")
    expected = tmp_path / "ZD-AWS-001" / "expected.yaml"
    expected.write_text(expected.read_text().replace("line: 17", "line: 18"))
    problems = check_rule(RULES["ZD-AWS-001"], tmp_path / "ZD-AWS-001")
    assert "bad/main.tf:18: expected a finding, got none" in problems
    assert "bad/main.tf:17: unexpected finding" in problems


def test_every_fixture_folder_belongs_to_a_rule() -> None:
    folders = {p.name for p in HERE.iterdir() if p.is_dir() and p.name.startswith("ZD-")}
    assert folders - set(RULES) == set()


def test_builtin_rules_dir_is_the_repository_rules() -> None:
    assert (builtin_dir("rules") / "aws").is_dir()
