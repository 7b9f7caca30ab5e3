"""Configuration file, environment and command line, in that order of precedence."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.cli import main
from scanner.config import resolve_settings
from scanner.errors import UsageError

OPEN_SG = 'resource "aws_security_group" "x" {\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n'


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for var in ("ZERODRIFT_POLICY", "ZERODRIFT_FAIL_ON", "ZERODRIFT_EXCLUDE", "ZERODRIFT_RULES_DIRS", "ZERODRIFT_MAX_FILE_SIZE"):
        monkeypatch.delenv(var, raising=False)
    (tmp_path / "main.tf").write_text(OPEN_SG)
    return tmp_path


def test_defaults_without_any_configuration(project: Path) -> None:
    settings = resolve_settings({})
    assert (settings.policy, settings.fail_on, settings.source) == ("default", "high", None)


def test_yaml_file_then_environment_then_command_line(project: Path, monkeypatch) -> None:
    (project / ".zerodrift.yaml").write_text("policy: cis-aws\nfail_on: critical\nexclude: [vendor]\nmax_file_size: 1000\n")
    settings = resolve_settings({})
    assert (settings.policy, settings.fail_on, settings.excludes, settings.max_file_size) == ("cis-aws", "critical", ("vendor",), 1000)
    assert settings.source.endswith(".zerodrift.yaml")
    monkeypatch.setenv("ZERODRIFT_FAIL_ON", "low")
    monkeypatch.setenv("ZERODRIFT_EXCLUDE", "a,b")
    settings = resolve_settings({})
    assert (settings.fail_on, settings.excludes, settings.policy) == ("low", ("a", "b"), "cis-aws")
    settings = resolve_settings({"fail_on": "medium", "exclude": ()})
    assert (settings.fail_on, settings.excludes) == ("medium", ("a", "b"))


def test_pyproject_tool_table(project: Path) -> None:
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.zerodrift]\npolicy = "soc2"\nfail-on = "medium"\n')
    settings = resolve_settings({})
    assert (settings.policy, settings.fail_on) == ("soc2", "medium")


def test_rules_dirs_are_relative_to_the_file(project: Path) -> None:
    (project / "conf").mkdir()
    (project / "conf" / "zd.yaml").write_text("rules_dirs: [rules]\n")
    settings = resolve_settings({}, "conf/zd.yaml")
    assert settings.rules_dirs == (str(project / "conf" / "rules"),)


@pytest.mark.parametrize("text,fragment", [
    ("fail_on: severe\n", "invalid at /fail_on"),
    ("colour: red\n", "Additional properties are not allowed"),
    ("parameters: {ZD-GDPR-001: 3}\n", "invalid at /parameters/ZD-GDPR-001"),
    ("policy: [\n", "invalid YAML"),
])
def test_invalid_configuration_is_one_line_exit_2(project: Path, capsys, text: str, fragment: str) -> None:
    (project / ".zerodrift.yaml").write_text(text)
    assert main(["scan", "."]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ".zerodrift.yaml" in err and fragment in err


def test_bad_environment_value_is_a_usage_error(project: Path, monkeypatch) -> None:
    monkeypatch.setenv("ZERODRIFT_FAIL_ON", "loud")
    with pytest.raises(UsageError, match="ZERODRIFT_FAIL_ON"):
        resolve_settings({})


def test_configured_fail_on_and_parameters_change_the_scan(project: Path, capsys) -> None:
    (project / "main.tf").write_text('provider "aws" {\n  region = "us-east-1"\n}\n')
    (project / ".zerodrift.yaml").write_text("parameters:\n  ZD-GDPR-001:\n    allowed_regions: [eu-west-1]\n")
    assert main(["scan", ".", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(f["rule_id"], f["line"]) for f in report["findings"]] == [("ZD-GDPR-001", 2)]
    (project / ".zerodrift.yaml").write_text("fail_on: critical\nparameters:\n  ZD-GDPR-001:\n    allowed_regions: [eu-west-1]\n")
    assert main(["scan", "."]) == 0


def test_parameters_for_a_rule_the_policy_does_not_select(project: Path, capsys) -> None:
    (project / ".zerodrift.yaml").write_text("policy: cis-kubernetes\nparameters:\n  ZD-GDPR-001:\n    allowed_regions: [eu-west-1]\n")
    assert main(["scan", "."]) == 2
    assert "does not select" in capsys.readouterr().err


def test_config_rules_dirs_reach_rules_show(project: Path, capsys) -> None:
    rules = project / "team-rules"
    rules.mkdir()
    (rules / "ZD-TEAM-009.yaml").write_text(
        "id: ZD-TEAM-009\nname: thing-without-name\ntitle: A thing has no name at all\nseverity: low\n"
        "description: Flags x_thing without name. Does not catch anything else.\nwhy: Unnamed things cannot be audited.\n"
        "fix: Give the thing a name.\nreferences: [https://example.com/docs]\nframeworks: {nist-800-53-r5: [CM-8]}\nzero_trust_pillar: visibility\n"
        "checks: [{schema: terraform, types: [x_thing], match: {path: name, op: absent}}]\n"
    )
    (project / ".zerodrift.yaml").write_text("rules_dirs: [team-rules]\n")
    assert main(["rules", "show", "ZD-TEAM-009"]) == 0
    assert "A thing has no name at all" in capsys.readouterr().out
