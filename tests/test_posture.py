"""Posture summary per framework control and zero-trust pillar, in text and JSON."""
from __future__ import annotations

import json
from pathlib import Path

from scanner.api import scan
from scanner.cli import main
from scanner.config import ScanConfig
from scanner.posture import posture

TF = '''variable "unknown" {}
resource "aws_security_group" "open" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_security_group" "closed" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}
resource "aws_security_group" "unknowable" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.unknown]
  }
}
'''


def _result(tmp_path: Path):
    (tmp_path / "main.tf").write_text(TF)
    return scan([str(tmp_path)], ScanConfig(root=str(tmp_path)))


def test_counts_per_control_and_pillar(tmp_path: Path) -> None:
    result = _result(tmp_path)
    stats = result.stats["ZD-AWS-001"]
    assert (stats.passed, stats.failed, stats.unknown) == (1, 1, 1)
    summary = posture(result)
    control = summary["frameworks"]["cis-aws-foundations-3.0"]["5.2"]
    assert control["failed"] >= 1 and "ZD-AWS-001" in control["rules"]
    assert summary["pillars"]["networks"]["unknown"] >= 1
    # rules that applied to nothing do not appear
    assert "cis-kubernetes-1.9" not in summary["frameworks"]


def test_json_and_text_carry_the_posture(tmp_path: Path, capsys) -> None:
    (tmp_path / "main.tf").write_text(TF)
    main(["scan", str(tmp_path), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert report["posture"]["frameworks"]["cis-aws-foundations-3.0"]["5.2"]["failed"] >= 1
    main(["scan", str(tmp_path)])
    text = capsys.readouterr().out
    assert "Posture by framework control" in text and "Posture by zero-trust pillar:" in text
    assert "cis-aws-foundations-3.0" in text


def test_control_ids_sort_numerically() -> None:
    from scanner.posture import _control_key

    assert sorted(["1.10", "1.9", "AC-6(9)", "AC-6", "AC-17"], key=_control_key) == ["1.9", "1.10", "AC-6", "AC-6(9)", "AC-17"]


def test_rules_list_filters_by_framework_and_pillar(capsys) -> None:
    assert main(["rules", "list", "--framework", "cis-kubernetes-1.9", "--pillar", "applications", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all("cis-kubernetes-1.9" in r["frameworks"] and r["zero_trust_pillar"] == "applications" for r in rows)
    assert main(["rules", "list", "--framework", "nope"]) == 2
    assert "unknown framework 'nope'" in capsys.readouterr().err
