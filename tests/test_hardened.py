"""Noise discipline: a fully hardened project per format draws no high or critical
finding, and only the lower findings listed here (each with the reason it is
accepted), so any new noise fails this test."""
from __future__ import annotations

from pathlib import Path

import pytest

from scanner.api import scan
from scanner.config import ScanConfig

HARDENED = Path(__file__).resolve().parent / "fixtures" / "hardened"

# (project, rule id) -> why a finding of that rule is acceptable in a hardened project
ACCEPTED = {
    ("cloudformation", "ZD-AWS-017"): "the access-log bucket itself has no access logging (it would log to itself)",
    ("terraform", "ZD-AWS-017"): "the access-log bucket itself has no access logging (it would log to itself)",
}

PROJECTS = sorted(p.name for p in HARDENED.iterdir() if p.is_dir())


def test_every_format_has_a_hardened_project() -> None:
    assert {"terraform", "cloudformation", "kubernetes", "docker", "compose", "workflows"} <= set(PROJECTS)


@pytest.mark.parametrize("project", PROJECTS)
def test_hardened_project_is_quiet(project: str) -> None:
    folder = HARDENED / project
    result = scan([str(folder)], ScanConfig(root=str(folder), policy="default"))
    assert result.diagnostics == []
    assert result.resources_scanned > 0
    loud = [(f.rule_id, f.file, f.line, f.message) for f in result.findings if f.severity in ("critical", "high")]
    assert loud == []
    unexpected = [(f.rule_id, f.file, f.line, f.message) for f in result.findings if (project, f.rule_id) not in ACCEPTED]
    assert unexpected == []
