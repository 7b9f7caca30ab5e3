"""The CLI end to end, in-process through ``main(argv)`` and once as a real subprocess."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scanner import __version__
from scanner.cli import main

REPO = Path(__file__).resolve().parent.parent
GOOD_TF = REPO / "tests/fixtures/hostile/good.tf"  # one high finding at line 6


def test_version(capsys) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"zerodrift {__version__}"


def test_findings_at_or_above_fail_on_exit_1(capsys) -> None:
    assert main(["scan", str(GOOD_TF)]) == 1
    out = capsys.readouterr().out
    assert "ZD-AWS-001" in out and "     6  HIGH" in out


def test_findings_below_fail_on_exit_0(capsys) -> None:
    assert main(["scan", str(GOOD_TF), "--fail-on", "critical"]) == 0


def test_clean_scan_exits_0(tmp_path: Path, capsys) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_security_group" "x" {\n  name = "ok"\n}\n')
    assert main(["scan", str(tmp_path)]) == 0
    assert "0 finding(s)" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv,fragment",
    [
        (["scan", "--fail-on", "severe"], "Invalid value for '--fail-on'"),
        (["scan", "--format", "xml"], "Invalid value for '--format'"),
        (["scan", "--policy", "nope"], "unknown policy 'nope'"),
        (["scan", "/definitely/not/here"], "no such file or directory"),
        (["rules", "show", "ZD-NOPE-999"], "unknown rule 'ZD-NOPE-999'"),
        (["frobnicate"], "No such command"),
    ],
)
def test_usage_errors_exit_2_with_one_line(argv: list[str], fragment: str, capsys) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("zerodrift: error: ")
    assert fragment in err
    assert "Traceback" not in err


def test_bad_rule_file_names_file_pointer_and_reason(tmp_path: Path, capsys) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "ZD-CUSTOM-001.yaml").write_text(
        "id: ZD-CUSTOM-001\nname: x\ntitle: A custom rule title\nseverity: severe\n"
        "description: describes the custom rule well\nwhy: because it matters a great deal\n"
        "fix: fix it properly\nreferences: [https://example.com]\nframeworks: {}\n"
        "zero_trust_pillar: data\nchecks: [{schema: terraform, types: [x], match: {path: a, op: exists}}]\n"
    )
    assert main(["scan", str(GOOD_TF), "--rules-dir", str(rules)]) == 2
    err = capsys.readouterr().err
    assert "ZD-CUSTOM-001.yaml: invalid at /severity:" in err and "severe" in err


def test_custom_rules_dir_is_used(tmp_path: Path, capsys) -> None:
    rules = tmp_path / "rules" / "team"
    rules.mkdir(parents=True)
    (rules / "ZD-TEAM-001.yaml").write_text(
        "id: ZD-TEAM-001\nname: security-group-without-description\ntitle: Security group has no description\n"
        "severity: low\ndescription: Flags aws_security_group without a description attribute.\n"
        "why: Reviewers cannot tell what an undocumented group is for.\nfix: Add a description.\n"
        "references: [https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group]\n"
        "frameworks: {}\nzero_trust_pillar: networks\n"
        "checks: [{schema: terraform, types: [aws_security_group], match: {path: description, op: absent}}]\n"
    )
    assert main(["scan", str(GOOD_TF), "--rules-dir", str(tmp_path / "rules"), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert ("ZD-TEAM-001", 1) in [(f["rule_id"], f["line"]) for f in report["findings"]]


def test_output_file_and_json_format(tmp_path: Path, capsys) -> None:
    out = tmp_path / "report.json"
    assert main(["scan", str(GOOD_TF), "--format", "json", "--output", str(out)]) == 1
    report = json.loads(out.read_text())
    assert report["summary"]["failing"] == 1
    assert report["findings"][0]["line"] == 6
    assert "report written to" in capsys.readouterr().err


def test_exclude_glob(tmp_path: Path, capsys) -> None:
    (tmp_path / "skip").mkdir()
    (tmp_path / "skip" / "main.tf").write_text(GOOD_TF.read_text())
    assert main(["scan", str(tmp_path), "--exclude", "skip"]) == 0


def test_rules_list_and_show(capsys) -> None:
    assert main(["rules", "list"]) == 0
    out = capsys.readouterr().out
    assert "ZD-AWS-001" in out
    assert main(["rules", "show", "ZD-AWS-001"]) == 0
    shown = capsys.readouterr().out
    for heading in ("What it does", "Why is this bad?", "How to fix", "References"):
        assert heading in shown


def test_rules_list_json_and_policy(capsys) -> None:
    assert main(["rules", "list", "--format", "json", "--policy", "default"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert any(r["id"] == "ZD-AWS-001" and r["severity"] == "high" for r in rows)


def test_no_color_when_not_a_tty_or_no_color(capsys) -> None:
    main(["scan", str(GOOD_TF)])
    assert "\033[" not in capsys.readouterr().out


def test_text_colour_only_on_tty_without_no_color() -> None:
    from scanner.api import scan
    from scanner.config import ScanConfig
    from scanner.reporters import text

    result = scan([str(GOOD_TF)], ScanConfig(root=str(REPO)))
    assert "\033[" in text.render(result, color=True)
    assert "\033[" not in text.render(result, color=False)


def test_python_dash_m_and_console_script_agree(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "scanner", "scan", str(GOOD_TF), "--format", "json"],
                          capture_output=True, text=True, cwd=REPO, env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["findings"][0]["rule_id"] == "ZD-AWS-001"


def test_rules_test_runs_custom_rule_fixtures(tmp_path: Path, capsys) -> None:
    rules = tmp_path / "rules"
    (rules / "team").mkdir(parents=True)
    (rules / "team" / "ZD-TEAM-002.yaml").write_text(
        "id: ZD-TEAM-002\nname: bucket-without-owner-tag\ntitle: S3 bucket has no owner tag\n"
        "severity: low\ndescription: Flags aws_s3_bucket without tags.owner. Does not catch default_tags.\n"
        "why: Nobody can be asked about an unowned bucket.\nfix: Add an owner tag.\n"
        "references: [https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html]\n"
        "frameworks: {nist-800-53-r5: [CM-8]}\nzero_trust_pillar: visibility\n"
        "checks: [{schema: terraform, types: [aws_s3_bucket], match: {path: tags.owner, op: absent}}]\n"
    )
    fixture = rules / "tests" / "ZD-TEAM-002"
    (fixture / "bad").mkdir(parents=True)
    (fixture / "good").mkdir()
    (fixture / "bad" / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n')
    (fixture / "good" / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  tags = { owner = "team-a" }\n}\n')
    (fixture / "expected.yaml").write_text("bad:\n  - {file: main.tf, line: 1}\n")
    assert main(["rules", "test", "--rules-dir", str(rules)]) == 0
    assert "ok   ZD-TEAM-002" in capsys.readouterr().out
    (fixture / "expected.yaml").write_text("bad:\n  - {file: main.tf, line: 2}\n")
    assert main(["rules", "test", "--rules-dir", str(rules)]) == 1
    out = capsys.readouterr().out
    assert "FAIL ZD-TEAM-002" in out and "bad/main.tf:2: expected a finding, got none" in out


def test_scan_standard_input(tmp_path: Path) -> None:
    manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.25\n      securityContext:\n        privileged: true\n"
    proc = subprocess.run([sys.executable, "-m", "scanner", "scan", "-", "--format", "json"], input=manifest,
                          capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    assert ("ZD-K8S-001", "stdin", 10) in [(f["rule_id"], f["file"], f["line"]) for f in findings]


def test_cli_formats_are_the_reporter_registry() -> None:
    from scanner.cli import FORMATS
    from scanner.reporters import REPORTERS

    assert set(FORMATS) == set(REPORTERS)


def test_several_outputs_in_one_run(tmp_path: Path, capsys) -> None:
    sarif, js = tmp_path / "r.sarif", tmp_path / "r.json"
    assert main(["scan", str(GOOD_TF), "--format", "text", "--sarif-output", str(sarif), "--json-output", str(js)]) == 1
    assert "ZD-AWS-001" in capsys.readouterr().out
    assert json.loads(sarif.read_text())["runs"][0]["results"][0]["ruleId"] == "ZD-AWS-001"
    assert json.loads(js.read_text())["findings"][0]["line"] == 6


def test_quiet_prints_failing_findings_and_one_summary_line(capsys) -> None:
    assert main(["scan", str(GOOD_TF), "--quiet"]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].endswith("good.tf:6: ZD-AWS-001 high aws_security_group.still_scanned allows SSH (22) from the internet")
    assert lines[-1].startswith("1 failing finding(s) at or above high") and len(lines) == 2


def test_progress_callback_reports_every_stage(tmp_path: Path) -> None:
    from dataclasses import replace

    from scanner.api import scan
    from scanner.config import ScanConfig

    for i in range(70):  # enough files for the secrets process pool
        (tmp_path / f"f{i}.env").write_text("A=1\n")
    (tmp_path / "main.tf").write_text(GOOD_TF.read_text())
    calls = []
    scan([str(tmp_path)], replace(ScanConfig(root=str(tmp_path)), progress=lambda stage, done, total: calls.append((stage, done, total))))
    assert ("parsing", 71, 71) in calls and ("secrets", 71, 71) in calls


def test_progress_line_only_for_large_scans(capsys) -> None:
    from scanner.cli import _Progress

    bar = _Progress()
    bar("parsing", 10, 20)
    assert capsys.readouterr().err == ""
    bar("parsing", 300, 300)
    bar.done()
    assert "parsing 300/300 files" in capsys.readouterr().err
