"""Every built-in rule's metadata is complete and consistent (cf. kube-linter's
TestBuiltInChecksWellFormed): schema-valid (the loader enforces it), unique ids,
a description that says what the rule does not catch, framework keys from the
known list with control ids of the right shape, and fixtures on disk."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanner.engine.loader import builtin_dir
from scanner.engine.loader import load_rules

RULES = load_rules()
FIXTURES = Path(__file__).resolve().parent

CONTROL_ID = {
    "cis-aws-foundations-3.0": r"^\d+(\.\d+)+$",
    "cis-azure-foundations-2.1": r"^\d+(\.\d+)+$",
    "cis-gcp-foundations-3.0": r"^\d+(\.\d+)+$",
    "cis-kubernetes-1.9": r"^\d+(\.\d+)+$",
    "cis-docker-1.6": r"^\d+(\.\d+)+$",
    "nist-800-53-r5": r"^[A-Z]{2}-\d+(\(\d+\))?$",
    "pci-dss-4.0": r"^\d+(\.\d+)*$",
    "soc2": r"^(CC|A|C|PI|P)\d+\.\d+$",
    "gdpr": r"^Art\.\d+(\(\d+\))?(\([a-z]\))?$",
}


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_metadata(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert Path(rule.source).parent.name == rule.domain
    assert Path(rule.source).is_relative_to(builtin_dir("rules"))
    assert re.search(r"(?i)does not catch|not caught", rule.description), "description must say what it does not catch"
    assert rule.why.strip() and rule.fix.strip() and rule.references
    assert rule.frameworks, "every built-in rule maps to at least one framework control"
    for framework, ids in rule.frameworks.items():
        assert framework in CONTROL_ID, f"unknown framework key {framework}"
        for control in ids:
            assert re.match(CONTROL_ID[framework], control), f"{framework}: {control!r}"
    assert (FIXTURES / rule_id / "bad").is_dir() and (FIXTURES / rule_id / "good").is_dir()
    assert rule.fix.rstrip().endswith((".", ")", "`")), "fix ends with a full stop"


def test_ids_are_unique_and_names_are_unique() -> None:
    names = [r.name for r in RULES.values()]
    assert len(names) == len(set(names))
