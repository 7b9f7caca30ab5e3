"""`zerodrift drift` end to end on Terraform plans: the examples/ demo pair,
grading, SARIF, the ignore file, redaction and exit codes."""
from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest

from scanner.cli import main

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "drift" / "terraform"


@pytest.fixture
def demo(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the demo pair, as the current directory (paths in reports are relative to it)."""
    shutil.copytree(DEMO, tmp_path / "infra")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _drift(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["drift", "--template", "infra", "--live", "infra/plan.json", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _json(capsys, *args: str) -> tuple[int, dict]:
    code, out, _ = _drift(capsys, "--format", "json", *args)
    return code, json.loads(out)


def test_demo_pair_finds_the_real_drift_with_the_right_severity(demo: Path, capsys) -> None:
    code, report = _json(capsys)
    assert code == 1  # high drift, default --fail-on high
    got = [(f["rule_id"], f["severity"], f["file"], f["line"], f["drift"]["kind"], f["drift"]["path"]) for f in report["findings"]]
    assert got == [
        ("ZD-AWS-001", "high", "infra/main.tf", 11, "compliance_drift", "ingress[1].cidr_blocks[0]"),
        ("ZD-DRIFT-001", "medium", "infra/main.tf", 11, "added_in_live", "ingress"),
        ("ZD-AWS-005", "low", "infra/main.tf", 20, "compliance_drift", ""),
        ("ZD-DRIFT-003", "high", "infra/main.tf", 24, "missing", ""),
        ("ZD-AWS-009", "high", "infra/main.tf", 38, "compliance_drift", "publicly_accessible"),
        ("ZD-DRIFT-001", "medium", "infra/main.tf", 38, "changed", "publicly_accessible"),
        ("ZD-DRIFT-002", "low", "infra/main.tf", 46, "added_in_live", "tags.owner"),
        ("ZD-AWS-012", "medium", "infra/main.tf", 56, "compliance_drift", "enable_log_file_validation"),
        ("ZD-DRIFT-001", "medium", "infra/main.tf", 56, "changed", "enable_log_file_validation"),
    ]
    by_path = {(f["rule_id"], f["drift"]["path"]): f for f in report["findings"]}
    public = by_path[("ZD-DRIFT-001", "publicly_accessible")]["drift"]
    assert (public["desired"], public["live"], public["address"], public["source"]) == (False, True, "aws_db_instance.orders", "terraform-plan")
    compliance = by_path[("ZD-AWS-001", "ingress[1].cidr_blocks[0]")]["drift"]
    assert compliance["rule"] == "ZD-AWS-001" and compliance["caused_by"] == ["ingress"]
    assert report["drift"]["counts"] == {"changed": 3, "default": 0, "in_sync": 1, "missing": 1, "not_inspected": 0, "unmanaged": 0}


def test_normalization_noise_is_not_reported(demo: Path, capsys) -> None:
    """tags_all moved with tags, the unchanged ingress rule and every computed attribute are not drift."""
    _, report = _json(capsys)
    paths = {(f["resource"], f["drift"]["path"]) for f in report["findings"]}
    assert ("aws_db_instance.orders", "tags.owner") in paths  # the real drift next to the noise is reported
    assert not any("tags_all" in p or p.startswith("master_user_secret") for _, p in paths)
    assert ("aws_db_instance.orders", "tags.team") not in paths
    assert all(r != "aws_s3_bucket.audit" or p == "" for r, p in paths)  # the bucket itself did not drift


def test_remediation_for_each_kind(demo: Path, capsys) -> None:
    _, report = _json(capsys)
    fixes = {(f["rule_id"], f["drift"]["path"]): f["fix"] for f in report["findings"]}
    assert "removed { from = aws_s3_bucket_public_access_block.audit" in fixes[("ZD-DRIFT-003", "")]
    assert "terraform apply re-creates" in fixes[("ZD-DRIFT-003", "")]
    assert "terraform apply reverts live" in fixes[("ZD-AWS-009", "publicly_accessible")]
    assert "keep the live value" not in fixes[("ZD-AWS-009", "publicly_accessible")]  # never offered for compliance drift
    assert "keep the live value" not in fixes[("ZD-DRIFT-001", "publicly_accessible")]  # nor for the drift that caused it


def test_keeping_a_harmless_live_value_is_offered(demo: Path, capsys) -> None:
    plan = json.loads((demo / "infra" / "plan.json").read_text())
    db = next(e for e in plan["resource_drift"] if e["address"] == "aws_db_instance.orders")
    db["change"]["after"]["publicly_accessible"] = False  # only a size change by hand now
    db["change"]["after"]["instance_class"] = "db.t4g.large"
    (demo / "infra" / "plan.json").write_text(json.dumps(plan))
    _, report = _json(capsys)
    resize = next(f for f in report["findings"] if f["drift"]["path"] == "instance_class")
    assert (resize["rule_id"], resize["severity"], resize["line"]) == ("ZD-DRIFT-002", "low", 35)
    assert 'to keep the live value, set instance_class = "db.t4g.large" in infra/main.tf:35, then terraform apply -refresh-only' in resize["fix"]


def test_fail_on_threshold_and_in_sync_exit_codes(demo: Path, tmp_path: Path, capsys) -> None:
    assert _drift(capsys, "--fail-on", "critical")[0] == 0
    plan = json.loads((demo / "infra" / "plan.json").read_text())
    del plan["resource_drift"]  # terraform leaves the key out when nothing drifted
    (demo / "infra" / "plan.json").write_text(json.dumps(plan))
    code, out, _ = _drift(capsys, "--fail-on", "low")
    assert code == 0
    assert "0 drift finding(s)" in out and "0 changed, 0 missing, 0 unmanaged, 5 in sync" in out


def test_sarif_is_valid_stable_and_locates_the_template_line(demo: Path, capsys, sarif_validator) -> None:
    runs = []
    for _ in range(2):
        code, out, _ = _drift(capsys, "--format", "sarif")
        assert code == 1
        runs.append(json.loads(out))
    sarif_validator.validate(runs[0])
    assert runs[0] == runs[1]  # deterministic, fingerprints included
    run = runs[0]["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["ZD-DRIFT-003"]["properties"]["security-severity"] == "8.0" and "drift" in rules["ZD-DRIFT-003"]["properties"]["tags"]
    missing = next(r for r in run["results"] if r["ruleId"] == "ZD-DRIFT-003")
    loc = missing["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == "infra/main.tf"
    assert loc["physicalLocation"]["region"]["startLine"] == 24
    assert loc["logicalLocations"] == [{"kind": "resource", "fullyQualifiedName": "aws_s3_bucket_public_access_block.audit", "name": "acme-audit-logs"}]
    assert missing["properties"]["drift"]["kind"] == "missing"
    assert len({r["partialFingerprints"]["zerodrift/v1"] for r in run["results"]}) == len(run["results"])
    assert run["properties"]["drift"]["source"] == "terraform-plan"


def _ignore(demo: Path, body: str) -> str:
    path = demo / "drift-ignore.yaml"
    path.write_text(body)
    return str(path)


def test_ignore_file_hides_drift_but_sarif_keeps_it_suppressed(demo: Path, capsys) -> None:
    ignore = _ignore(demo, """version: 1
rules:
  - match: {source: terraform-plan, address: "aws_db_instance.*"}
    paths: ["tags"]
    reason: "owner tags are set by the FinOps bot"
  - match: {address: aws_security_group.web}
    paths: ["ingress"]
    reason: "an attempt to hide the open SSH port without allow_security"
""")
    code, report = _json(capsys, "--ignore-file", ignore)
    active = {(f["rule_id"], f["drift"]["path"]) for f in report["findings"]}
    assert ("ZD-DRIFT-002", "tags.owner") not in active
    assert ("ZD-DRIFT-001", "ingress") not in active  # attribute drift is hidden...
    assert ("ZD-AWS-001", "ingress[1].cidr_blocks[0]") in active  # ...compliance drift is not
    assert [(f["rule_id"], f["suppression"]["justification"]) for f in report["suppressed"]] == [
        ("ZD-DRIFT-001", "an attempt to hide the open SSH port without allow_security"),
        ("ZD-DRIFT-002", "owner tags are set by the FinOps bot"),
    ]
    code, out, _ = _drift(capsys, "--ignore-file", ignore, "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert {(r["ruleId"], r["suppressions"][0]["kind"], r["suppressions"][0]["justification"]) for r in suppressed} == {
        ("ZD-DRIFT-001", "external", "an attempt to hide the open SSH port without allow_security"),
        ("ZD-DRIFT-002", "external", "owner tags are set by the FinOps bot"),
    }


def test_allow_security_hides_compliance_drift(demo: Path, capsys) -> None:
    ignore = _ignore(demo, """version: 1
rules:
  - match: {address: aws_security_group.web}
    reason: "break-glass SSH, ticket SEC-42"
    allow_security: true
""")
    _, report = _json(capsys, "--ignore-file", ignore)
    assert not [f for f in report["findings"] if f["resource"] == "aws_security_group.web"]
    assert {f["rule_id"] for f in report["suppressed"]} == {"ZD-AWS-001", "ZD-DRIFT-001"}


def test_expired_ignore_entry_stops_hiding_and_is_reported(demo: Path, capsys) -> None:
    ignore = _ignore(demo, """version: 1
rules:
  - match: {address: aws_db_instance.orders}
    paths: ["tags.*"]
    reason: "temporary"
    expires: 2020-01-31
""")
    _, report = _json(capsys, "--ignore-file", ignore)
    assert ("ZD-DRIFT-002", "tags.owner") in {(f["rule_id"], f["drift"]["path"]) for f in report["findings"]}
    assert report["suppressed"] == []
    assert [d["reason"] for d in report["diagnostics"]] == ["rule 1 expired on 2020-01-31: its drift is reported again (temporary)"]


@pytest.mark.parametrize("body,fragment", [
    ("version: 1\nrules:\n  - match: {address: x}\n", "invalid at /rules/0: 'reason' is a required property"),
    ("version: 2\nrules: []\n", "invalid at /version"),
    ("version: 1\nrules:\n  - match: {address: x}\n    reason: ok ok\n    expires: 2027-02-30\n", "is not a date"),
    ("version: 1\nrules: [\n", "drift-ignore.yaml:"),
])
def test_broken_ignore_file_is_a_usage_error(demo: Path, capsys, body: str, fragment: str) -> None:
    ignore = _ignore(demo, body)
    code, out, err = _drift(capsys, "--ignore-file", ignore)
    assert code == 2 and out == ""
    assert fragment in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_secrets_never_leave_in_any_format(demo: Path, capsys) -> None:
    plan = json.loads((demo / "infra" / "plan.json").read_text())
    db = next(e for e in plan["resource_drift"] if e["address"] == "aws_db_instance.orders")
    before, after = db["change"]["before"], db["change"]["after"]
    before["password"], after["password"] = "Old-Passw0rd-2024!", "N3w-Passw0rd-2026!"  # masked by name
    before["custom_iam_instance_profile"], after["custom_iam_instance_profile"] = "profile-old-4471", "profile-new-9911"
    db["change"]["before_sensitive"]["custom_iam_instance_profile"] = True  # masked by the plan's mask
    db["change"]["after_sensitive"]["custom_iam_instance_profile"] = True
    after["tags"]["deploy_key"] = "AKIAZ7QRSTUVWXY2AB3C"  # masked by the secrets detectors
    (demo / "infra" / "plan.json").write_text(json.dumps(plan))
    secrets = ["Old-Passw0rd-2024!", "N3w-Passw0rd-2026!", "profile-old-4471", "profile-new-9911", "AKIAZ7QRSTUVWXY2AB3C"]
    seen_paths = set()
    for fmt in ("text", "json", "sarif", "markdown", "junit"):
        code, out, err = _drift(capsys, "--format", fmt)
        assert code == 1
        for secret in secrets:
            assert secret not in out and secret not in err, (fmt, secret)
        if fmt == "json":
            seen_paths = {f["drift"]["path"]: f["drift"] for f in json.loads(out)["findings"]}
    assert seen_paths["password"]["desired"] == "[REDACTED]" and seen_paths["password"]["live"] == "[REDACTED]"
    assert seen_paths["custom_iam_instance_profile"]["live"] == "[REDACTED]"
    assert seen_paths["tags.deploy_key"]["live"].startswith("AKIA") and "REDACTED" in seen_paths["tags.deploy_key"]["live"]


@pytest.mark.parametrize("live,fragment", [
    ("missing.json", "cannot read"),
    ("k9s://ctx", "unknown scheme"),
    ("infra/main.tf", "not a Terraform plan"),
])
def test_unusable_live_side_is_one_line_and_exit_2(demo: Path, capsys, live: str, fragment: str) -> None:
    code = main(["drift", "--template", "infra", "--live", live])
    out, err = capsys.readouterr()
    assert code == 2 and fragment in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_streaming_plan_log_and_garbage_are_rejected_clearly(demo: Path, capsys) -> None:
    (demo / "log.json").write_text('{"@level":"info","@message":"Terraform 1.11.4","type":"version"}\n{"@level":"info","type":"resource_drift"}\n')
    code = main(["drift", "--template", "infra", "--live", "log.json"])
    assert code == 2 and "streaming 'terraform plan -json' log" in capsys.readouterr().err
    (demo / "bad.json").write_text('{"format_version": "1.2", "resource_drift": [')
    code = main(["drift", "--template", "infra", "--live", "bad.json"])
    err = capsys.readouterr().err
    assert code == 2 and "invalid JSON" in err and "Traceback" not in err


def test_a_drifted_resource_moved_between_modules_is_still_reported(demo: Path, capsys) -> None:
    """A plan entry whose address no template declares is reported at the anchor file, with a warning."""
    plan = json.loads((demo / "infra" / "plan.json").read_text())
    entry = copy.deepcopy(next(e for e in plan["resource_drift"] if e["address"] == "aws_db_instance.orders"))
    entry.update(address="module.legacy.aws_db_instance.old", module_address="module.legacy", name="old")
    plan["resource_drift"].append(entry)
    (demo / "infra" / "plan.json").write_text(json.dumps(plan))
    _, report = _json(capsys)
    legacy = [f for f in report["findings"] if f["resource"] == "module.legacy.aws_db_instance.old"]
    assert {(f["file"], f["line"], f["drift"]["path"]) for f in legacy} >= {("infra/main.tf", 1, "publicly_accessible")}
    assert "module.legacy.aws_db_instance.old: drifted, but no template in the given paths declares it" in [d["reason"] for d in report["diagnostics"]]


def test_a_normal_plan_says_what_the_next_apply_does(demo: Path, capsys) -> None:
    """resource_changes (absent from refresh-only plans) tell whether apply reverts, re-creates or keeps the drift."""
    plan = json.loads((demo / "infra" / "plan.json").read_text())
    plan["resource_changes"] = [
        {"address": "aws_security_group.web", "mode": "managed", "type": "aws_security_group", "name": "web",
         "change": {"actions": ["update"], "before": {}, "after": {}}},
        {"address": "aws_s3_bucket_public_access_block.audit", "mode": "managed", "type": "aws_s3_bucket_public_access_block",
         "name": "audit", "change": {"actions": ["create"], "before": None, "after": {}}},
        {"address": "aws_db_instance.orders", "mode": "managed", "type": "aws_db_instance", "name": "orders",
         "change": {"actions": ["no-op"], "before": {}, "after": {}}},
    ]
    (demo / "infra" / "plan.json").write_text(json.dumps(plan))
    _, report = _json(capsys)
    fixes = {(f["resource"], f["drift"]["kind"]): f["fix"] for f in report["findings"]}
    assert fixes[("aws_security_group.web", "compliance_drift")].endswith("(The plan updates it in place back to the templates.)")
    assert fixes[("aws_s3_bucket_public_access_block.audit", "missing")].endswith("(The plan re-creates it.)")
    assert "lifecycle ignore_changes covers the attribute" in fixes[("aws_db_instance.orders", "changed")]
    assert "The plan" not in fixes[("aws_cloudtrail.main", "changed")]  # no resource_changes entry: nothing claimed


def test_module_count_and_for_each_addresses_are_located_in_the_module_source(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "net").mkdir()
    (tmp_path / "main.tf").write_text('module "net" {\n  source = "./net"\n  count  = 2\n}\n')
    (tmp_path / "net" / "main.tf").write_text('''variable "buckets" {
  default = ["a", "b"]
}

resource "aws_s3_bucket" "data" {
  for_each = toset(var.buckets)
  bucket   = "acme-${each.key}"
}
''')
    plan = {"format_version": "1.2", "terraform_version": "1.11.4", "resource_drift": [{
        "address": 'module.net[1].aws_s3_bucket.data["b"]', "module_address": "module.net[1]", "mode": "managed",
        "type": "aws_s3_bucket", "name": "data", "index": "b",
        "change": {"actions": ["update"], "before": {"bucket": "acme-b", "tags": {}}, "after": {"bucket": "acme-b", "tags": {"env": "x"}},
                   "before_sensitive": {}, "after_sensitive": {}}}]}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    monkeypatch.chdir(tmp_path)
    assert main(["drift", "-t", ".", "--live", "plan.json", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [(f["file"], f["line"], f["resource"], f["drift"]["path"]) for f in report["findings"]] == [
        ("net/main.tf", 5, 'module.net[1].aws_s3_bucket.data["b"]', "tags.env")]
    assert report["diagnostics"] == []


def test_write_ignore_baselines_missing_objects_and_the_baseline_hides_them(demo: Path, capsys) -> None:
    import datetime as dt

    code, _, err = _drift(capsys, "--write-ignore", "baseline.yaml", "--ignore-expires", "2027-06-30")
    assert code == 1 and "wrote baseline.yaml" in err
    text = (demo / "baseline.yaml").read_text()
    assert "address: aws_s3_bucket_public_access_block.audit" in text and "expires: '2027-06-30'" in text
    assert "publicly_accessible" not in text  # attribute drift is never baselined
    code, report = _json(capsys, "--ignore-file", "baseline.yaml")
    assert [f["rule_id"] for f in report["suppressed"]] == ["ZD-DRIFT-003"]
    assert report["suppressed"][0]["suppression"]["justification"].startswith(f"baseline {dt.date.today().isoformat()}: missing")
    assert code == 1  # the compliance drift still fails


def test_ignore_addresses_with_instance_keys_match_literally(demo: Path, capsys) -> None:
    plan = json.loads((demo / "infra" / "plan.json").read_text())
    entry = next(e for e in plan["resource_drift"] if e["address"] == "aws_db_instance.orders")
    entry["address"] = "aws_db_instance.orders[0]"
    (demo / "infra" / "plan.json").write_text(json.dumps(plan))
    (demo / "ignore.yaml").write_text('version: 1\nrules:\n  - match: {address: "aws_db_instance.orders[0]"}\n    paths: [tags]\n    reason: "owner tags"\n')
    _, report = _json(capsys, "--ignore-file", "ignore.yaml")
    assert [(f["rule_id"], f["drift"]["path"]) for f in report["suppressed"]] == [("ZD-DRIFT-002", "tags.owner")]
