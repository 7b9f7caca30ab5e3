"""Inline suppressions and baselines, end to end through the CLI and the reports."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.cli import main
from testhelpers import OPEN_SG_TEMPLATE

SG = OPEN_SG_TEMPLATE.format(name="web")


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def test_inline_suppression_with_reason_hides_and_is_reported_as_suppressed(project: Path, capsys) -> None:
    (project / "main.tf").write_text(SG.replace('  ingress {', '  # zerodrift:ignore ZD-AWS-001 reason="bastion, SEC-123"\n  ingress {', 1)
                                     .replace('cidr_blocks = ["0.0.0.0/0"]', 'cidr_blocks = ["0.0.0.0/0"] # zerodrift:ignore ZD-AWS-001 reason="bastion, SEC-123"'))
    assert main(["scan", ".", "--format", "json"]) == 0
    report = _json(capsys)
    assert [f["rule_id"] for f in report["findings"]] == []
    assert [(s["rule_id"], s["suppression"]) for s in report["suppressed"]] == [("ZD-AWS-001", {"kind": "inSource", "justification": "bastion, SEC-123"})]
    main(["scan", "."])
    assert "1 suppressed (1 inline, 0 by baseline)" in capsys.readouterr().out
    main(["scan", ".", "--format", "sarif"])
    result = _json(capsys)["runs"][0]["results"][0]
    assert result["suppressions"] == [{"kind": "inSource", "justification": "bastion, SEC-123"}]


def test_suppression_above_the_resource_block(project: Path, capsys) -> None:
    (project / "main.tf").write_text('# zerodrift:ignore ZD-AWS-001 reason="lab account"\n' + SG)
    assert main(["scan", ".", "--format", "json"]) == 0


@pytest.mark.parametrize("comment,problem", [
    ("# zerodrift:ignore ZD-AWS-001", "has no reason"),
    ('# zerodrift:ignore ZD-AWS-001 reason="x" expires=2001-01-01', "expired on 2001-01-01"),
    ('# zerodrift:ignore ZD-AWS-999 reason="typo"', "names unknown rule ZD-AWS-999"),
])
def test_broken_suppression_hides_nothing_and_is_itself_reported(project: Path, capsys, comment: str, problem: str) -> None:
    (project / "main.tf").write_text(comment + "\n" + SG)
    assert main(["scan", ".", "--format", "json"]) == 1
    findings = _json(capsys)["findings"]
    assert ("ZD-AWS-001", 7) in [(f["rule_id"], f["line"]) for f in findings]
    meta = [f for f in findings if f["rule_id"] == "ZD-META-001"]
    assert [(m["line"], problem in m["message"]) for m in meta] == [(1, True)]


def test_baseline_reports_only_new_findings_and_survives_line_moves(project: Path, capsys) -> None:
    (project / "main.tf").write_text(SG)
    assert main(["baseline", "create", "."]) == 0
    capsys.readouterr()
    stored = json.loads((project / ".zerodrift-baseline.json").read_text())
    assert stored["version"] == 1 and len(stored["findings"]) == 1
    assert main(["scan", ".", "--baseline", ".zerodrift-baseline.json"]) == 0
    capsys.readouterr()
    # the finding moves down, and a new one appears
    (project / "main.tf").write_text("# moved\n\n" + SG + SG.replace('"web"', '"new"'))
    assert main(["scan", ".", "--baseline", ".zerodrift-baseline.json", "--format", "json"]) == 1
    report = _json(capsys)
    assert [f["resource"] for f in report["findings"]] == ["aws_security_group.new"]
    assert [s["suppression"] for s in report["suppressed"]] == [{"kind": "external", "justification": "baseline"}]
    assert main(["baseline", "update", "."]) == 0
    assert "1 added, 0 dropped" in capsys.readouterr().err
    assert main(["scan", ".", "--baseline", ".zerodrift-baseline.json"]) == 0


@pytest.mark.parametrize("content,fragment", [
    ("{not json", "invalid JSON"),
    ('{"version": 99, "findings": []}', "newer than this zerodrift understands"),
    ('{"findings": []}', "needs 'version' and 'findings'"),
])
def test_bad_baseline_is_a_usage_error(project: Path, capsys, content: str, fragment: str) -> None:
    (project / "main.tf").write_text(SG)
    (project / "b.json").write_text(content)
    assert main(["scan", ".", "--baseline", "b.json"]) == 2
    assert fragment in capsys.readouterr().err
