"""SARIF output: valid against the OASIS 2.1.0 schema and GitHub's ingestion checklist
(../shared/docs/integrations.md §2 and §7.4)."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from scanner.api import scan
from scanner.config import ScanConfig
from scanner.reporters import sarif

REPO = Path(__file__).resolve().parents[2]


def _sarif_for(paths: list[str], root: Path) -> dict:
    result = scan(paths, ScanConfig(root=str(root)))
    return json.loads(sarif.render(result))


def _schema_errors(validator, log: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)]


def test_examples_sarif_is_schema_valid(sarif_validator) -> None:
    log = _sarif_for([str(REPO / "examples")], REPO)
    assert _schema_errors(sarif_validator, log) == []
    assert log["runs"][0]["results"], "the insecure examples must produce results"


def test_hostile_corpus_sarif_is_schema_valid_with_notifications(sarif_validator) -> None:
    log = _sarif_for([str(REPO / "tests/fixtures/hostile")], REPO)
    assert _schema_errors(sarif_validator, log) == []
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    uris = {n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes}
    assert "tests/fixtures/hostile/invalid.tf" in uris
    invalid = next(n for n in notes if n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("invalid.tf"))
    assert invalid["locations"][0]["physicalLocation"]["region"]["startLine"] == 3


def test_github_checklist() -> None:
    log = _sarif_for([str(REPO / "examples")], REPO)
    assert log["$schema"] and log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "zerodrift" and driver["semanticVersion"]
    assert run["columnKind"] == "utf16CodeUnits"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
    rule_ids = [r["id"] for r in driver["rules"]]
    assert rule_ids == sorted(set(rule_ids))
    for rule in driver["rules"]:
        assert len(rule["name"]) <= 255
        for key in ("shortDescription", "fullDescription"):
            assert 0 < len(rule[key]["text"]) <= 1024
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["helpUri"].endswith(f"/docs/rules/{rule['id']}.md")
        tags = rule["properties"]["tags"]
        assert len(tags) <= 10 and tags[0] == "security" and len(set(tags)) == len(tags)
        assert set(rule["properties"]["frameworks"]) <= set(tags) or len(tags) == 10
        sev = rule["properties"].get("security-severity")
        if sev is not None:
            assert isinstance(sev, str) and 0.0 < float(sev) <= 10.0
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    for res in run["results"]:
        assert rule_ids[res["ruleIndex"]] == res["ruleId"]
        assert res["message"]["text"]
        assert len(res["locations"]) == 1
        loc = res["locations"][0]["physicalLocation"]
        uri = loc["artifactLocation"]["uri"]
        assert not uri.startswith("/") and "\\" not in uri and loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        region = loc["region"]
        assert region["startLine"] >= 1 and region["startColumn"] == 1
        assert region["endLine"] >= region["startLine"] and region["endColumn"] > 1
        assert "primaryLocationLineHash" not in res["partialFingerprints"]
        assert re.fullmatch(r"[0-9a-f]{32}", res["partialFingerprints"]["zerodrift/v1"])
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["ZD-AWS-001"] == "error"


def test_region_end_column_counts_utf16_code_units(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_security_group" "x" {\n'
        "  ingress {\n"
        "    from_port   = 22\n"
        "    to_port     = 22\n"
        '    protocol    = "tcp"\n'
        '    cidr_blocks = ["0.0.0.0/0"] # 🔓 open\n'
        "  }\n}\n",
        encoding="utf-8",
    )
    log = _sarif_for([str(tmp_path)], tmp_path)
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    line = '    cidr_blocks = ["0.0.0.0/0"] # 🔓 open'
    assert region["startLine"] == 6
    assert region["endColumn"] == len(line) + 1 + 1  # the emoji is two UTF-16 code units


def test_uri_is_percent_encoded(tmp_path: Path) -> None:
    folder = tmp_path / "my infra"
    folder.mkdir()
    shutil.copy(REPO / "tests/fixtures/hostile/good.tf", folder / "main.tf")
    log = _sarif_for([str(folder)], tmp_path)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "my%20infra/main.tf"


def test_fingerprint_survives_the_finding_moving_to_another_line(tmp_path: Path) -> None:
    source = (REPO / "tests/fixtures/hostile/good.tf").read_text()
    (tmp_path / "main.tf").write_text(source)
    before = _sarif_for([str(tmp_path)], tmp_path)["runs"][0]["results"][0]
    (tmp_path / "main.tf").write_text("# a comment\n\nlocals {\n  x = 1\n}\n\n" + source)
    after = _sarif_for([str(tmp_path)], tmp_path)["runs"][0]["results"][0]
    line = lambda r: r["locations"][0]["physicalLocation"]["region"]["startLine"]  # noqa: E731
    assert line(after) == line(before) + 6
    assert after["partialFingerprints"] == before["partialFingerprints"]


def test_output_is_byte_identical_across_runs() -> None:
    first = sarif.render(scan([str(REPO / "examples")], ScanConfig(root=str(REPO))))
    second = sarif.render(scan([str(REPO / "examples")], ScanConfig(root=str(REPO))))
    assert first == second


@pytest.mark.parametrize("severity,level,score", [("critical", "error", "9.5"), ("high", "error", "8.0"), ("medium", "warning", "5.5"), ("low", "note", "2.0"), ("info", "note", None)])
def test_severity_mapping(severity: str, level: str, score: str | None) -> None:
    from scanner.engine.loader import load_rules

    rule = next(iter(load_rules().values()))
    rule.severity = severity
    desc = sarif.rule_descriptor(rule)
    assert desc["defaultConfiguration"]["level"] == level
    assert desc["properties"].get("security-severity") == score
