"""Checkov as an external engine, against a REAL Checkov that this test session
installs into its own virtualenv with `zerodrift engines install` (skipped with
the reason when the package index cannot be reached). Broken engines are
simulated with small executables, not mocks of zerodrift's code."""
from __future__ import annotations

import json
import os
import re
import stat
import subprocess
from pathlib import Path

import pytest

from scanner.cli import main
from scanner.engines import checkov

pytestmark = pytest.mark.slow
CHECKOV_VERSION = "3.3.30"

TF = '''resource "aws_security_group" "ssh" {
  description = "ssh"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "worker" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
}
'''


@pytest.fixture(scope="module")
def installed() -> str:
    try:
        return checkov.install(CHECKOV_VERSION)
    except Exception as exc:  # noqa: BLE001 - any failure to install means: cannot test here
        pytest.skip(f"Checkov could not be installed from the package index: {exc}")


def test_engines_list_shows_the_isolated_install(installed: str, capsys) -> None:
    assert main(["engines", "list"]) == 0
    out = capsys.readouterr().out
    assert CHECKOV_VERSION in out and str(checkov.env_dir()) in out
    # isolation: zerodrift's own hcl2 and detect_secrets are untouched by Checkov's forks
    import detect_secrets
    import hcl2

    assert "site-packages" in hcl2.__file__ and str(checkov.env_dir()) not in hcl2.__file__
    assert str(checkov.env_dir()) not in detect_secrets.__file__


def test_merged_report_names_both_ids_once(installed: str, tmp_path: Path, monkeypatch, capsys, sarif_validator) -> None:
    (tmp_path / "main.tf").write_text(TF)
    monkeypatch.chdir(tmp_path)
    assert main(["scan", ".", "--engine", "checkov", "--no-secrets", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    native = [f for f in report["findings"] if f["rule_id"] == "ZD-AWS-001"]
    assert len(native) == 1 and "checkov:CKV_AWS_24" in native[0]["also_reported_by"]
    ids = [f["rule_id"] for f in report["findings"]]
    assert "checkov:CKV_AWS_24" not in ids, "a duplicate must be folded into the native finding"
    engine_only = [f for f in report["findings"] if f["rule_id"].startswith("checkov:")]
    assert engine_only and all(f["engine"] == "checkov" and f["file"] == "main.tf" and f["line"] >= 1 for f in engine_only)
    assert main(["scan", ".", "--engine", "checkov", "--no-secrets", "--format", "sarif"]) == 1
    log = json.loads(capsys.readouterr().out)
    assert [e.message for e in sarif_validator.iter_errors(log)] == []
    rule_ids = {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in log["runs"][0]["results"]} <= rule_ids


def test_equivalents_name_real_checkov_checks(installed: str) -> None:
    """The native-rule <-> Checkov id mapping (rules' equivalents) names checks that exist."""
    from scanner.engine.loader import load_rules

    listing = subprocess.run([installed, "--list"], capture_output=True, text=True, env={**os.environ, **checkov.OFFLINE_ENV}).stdout
    known = set(re.findall(r"\bCKV2?_[A-Z0-9]+_\d+\b", listing))
    assert len(known) > 500
    named = {c for rule in load_rules().values() for c in rule.equivalents.get("checkov", [])}
    assert sorted(named - known) == []


def _fake(tmp_path: Path, body: str) -> str:
    path = tmp_path / "fake-checkov"
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


@pytest.mark.parametrize("body,reason", [
    ("echo 'Traceback (most recent call last):' >&2; exit 2", "engine failed (exit 2)"),
    ("echo 'not json at all'; exit 1", "engine output is not JSON"),
    ("sleep 5", "timed out"),
])
def test_engine_failures_are_diagnostics_and_native_results_stay(tmp_path: Path, monkeypatch, body: str, reason: str) -> None:
    monkeypatch.setenv("ZERODRIFT_CHECKOV", _fake(tmp_path, body))
    (tmp_path / "main.tf").write_text(TF)
    failures, diagnostics = checkov.run([str(tmp_path)], str(tmp_path), timeout=2)
    assert failures == [] and any(reason in d.reason for d in diagnostics)


def test_missing_engine_is_a_diagnostic(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("ZERODRIFT_CHECKOV", str(tmp_path / "nope"))
    (tmp_path / "main.tf").write_text(TF)
    monkeypatch.chdir(tmp_path)
    assert main(["scan", ".", "--engine", "checkov", "--no-secrets", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert any(d["file"] == "checkov" and "engine not found" in d["reason"] for d in report["diagnostics"])
    assert any(f["rule_id"] == "ZD-AWS-001" for f in report["findings"])
