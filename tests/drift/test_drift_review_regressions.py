"""Regression tests for what an adversarial review of `zerodrift drift` found:
secret leaks, missed drift, false drift, ignore-file semantics, hiding places."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scanner.cli import main

REVIEW = Path(__file__).resolve().parent / "fixtures" / "review"
FORMATS = ("text", "json", "sarif", "markdown", "junit")


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["drift", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def _report(capsys, *args: str) -> dict:
    code, out, _ = _run(capsys, *args, "--format", "json")
    assert code in (0, 1)
    return json.loads(out)


def _assert_never_shown(capsys, secrets: list[str], *args: str) -> None:
    for fmt in FORMATS:
        _, out, err = _run(capsys, *args, "--format", fmt)
        for secret in secrets:
            assert secret not in out + err, (fmt, secret)


def _k8s(tmp_path: Path, manifests: list[dict], live: list[dict]) -> None:
    (tmp_path / "m.yaml").write_text("\n---\n".join(json.dumps(m) for m in manifests))
    (tmp_path / "live.json").write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": live}))


def _served(obj: dict, uid: str) -> dict:
    return {**obj, "metadata": {**obj["metadata"], "uid": uid, "resourceVersion": "1", "creationTimestamp": "2026-11-01T00:00:00Z"}}


def _deployment(env: list[dict], args: list[str] | None = None) -> dict:
    container = {"name": "web", "image": "registry.example.com/web:1.0", "env": env, **({"args": args} if args else {})}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "app"},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [container]}}}}


# ---------------------------------------------------------------- secrets

def test_env_values_named_like_credentials_and_secret_assignments_are_masked(tmp_path: Path, monkeypatch, capsys) -> None:
    key = "-----BEGIN PRIVATE KEY-----\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCUPt3bpwEMU96q\n-----END PRIVATE KEY-----\n"
    desired = [_deployment([{"name": "DB_PASSWORD", "value": "old-pw-1"}, {"name": "DB_PASS", "value": "old-pass-2"}], ["--token=abc123"]),
               {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg", "namespace": "app"}, "data": {"tls.key": "none", "big": "x"}}]
    live = [_served(_deployment([{"name": "DB_PASSWORD", "value": "Live-Pw-9876"}, {"name": "DB_PASS", "value": "Live-Pass-5432"}],
                                ["--token=zz9LiveTok"]), "u1"),
            _served({**desired[1], "data": {"tls.key": key, "big": "aws_access_key_id=AKIA2OGYBAH6TZQ7XVPL\n" + "#" * 5000}}, "u2")]
    _k8s(tmp_path, desired, live)
    monkeypatch.chdir(tmp_path)
    _assert_never_shown(capsys, ["old-pw-1", "Live-Pw-9876", "old-pass-2", "Live-Pass-5432", "zz9LiveTok", "abc123",
                                 "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCUPt3bpwEMU96q", "AKIA2OGYBAH6TZQ7XVPL"],
                        "-t", "m.yaml", "--live", "live.json")
    report = _report(capsys, "-t", "m.yaml", "--live", "live.json")
    fixes = " ".join(f["fix"] for f in report["findings"])
    assert "[REDACTED]" not in fixes  # no patch carries a masked value


def test_terraform_state_provider_sensitive_attributes_and_secret_ids(tmp_path: Path, monkeypatch, capsys) -> None:
    shutil.copytree(REVIEW / "state-secrets", tmp_path / "s")
    state = {"version": 4, "terraform_version": "1.9.5", "serial": 3, "lineage": "abc", "outputs": {}, "resources": [
        {"mode": "managed", "type": "random_string", "name": "dbpw", "provider": "provider[\"registry.terraform.io/hashicorp/random\"]",
         "instances": [{"schema_version": 2, "attributes": {"id": "Xq9LiveRandomPw77", "result": "Xq9LiveRandomPw77", "length": 17},
                        "sensitive_attributes": []}]},
        {"mode": "managed", "type": "aws_iam_access_key", "name": "k", "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
         "instances": [{"schema_version": 0, "attributes": {"id": "AKIA2OGYBAH6TZQ7XVPL", "user": "u", "status": "Active",
                                                             "secret": "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"}, "sensitive_attributes": []}]},
    ]}
    (tmp_path / "unmanaged.tfstate").write_text(json.dumps(state))
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n')
    monkeypatch.chdir(tmp_path)
    _assert_never_shown(capsys, ["LiveSuperSecretValue99", "oldvalue-in-repo", "oldlambdapw"], "-t", "s", "--live", "s/terraform.tfstate")
    _assert_never_shown(capsys, ["Xq9LiveRandomPw77", "AKIA2OGYBAH6TZQ7XVPL", "wJalrXUtnFEMI"], "-t", "main.tf", "--live", "unmanaged.tfstate")


def test_plan_masks_reach_set_elements_reported_without_their_position(tmp_path: Path, monkeypatch, capsys) -> None:
    shutil.copytree(REVIEW / "plan-set-mask", tmp_path / "p")
    monkeypatch.chdir(tmp_path)
    _assert_never_shown(capsys, ["SensDescBefore", "SensDescAfter"], "-t", "p", "--live", "p/plan.json")


# ---------------------------------------------------------------- missed drift and hiding places

def test_system_named_rbac_without_the_bootstrap_label_is_reported(tmp_path: Path, monkeypatch, capsys) -> None:
    role = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "system:evil"},
            "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]}
    binding = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "system:evil"},
               "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "system:evil"},
               "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:authenticated"}]}
    hidden = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "helper", "namespace": "kube-system"},
              "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
              "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "app"}]}
    labelled = {**role, "metadata": {"name": "system:aggregate-to-view", "labels": {"kubernetes.io/bootstrapping": "rbac-defaults"}}}
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "app"}, "data": {"a": "b"}}
    _k8s(tmp_path, [cm], [_served(cm, "u0"), _served(role, "u1"), _served(binding, "u2"), _served(hidden, "u3"), _served(labelled, "u4")])
    monkeypatch.chdir(tmp_path)
    report = _report(capsys, "-t", "m.yaml", "--live", "live.json")
    graded = {(f["resource"], f["rule_id"]) for f in report["findings"]}
    assert ("rbac.authorization.k8s.io/ClusterRole//system:evil", "ZD-DRIFT-006") in graded
    assert ("rbac.authorization.k8s.io/ClusterRoleBinding//system:evil", "ZD-DRIFT-006") in graded
    assert ("rbac.authorization.k8s.io/RoleBinding/kube-system/helper", "ZD-DRIFT-005") in graded
    assert not [r for r, _ in graded if "aggregate-to-view" in r]
    assert report["drift"]["counts"]["default"] == 1


def test_a_duplicate_env_name_added_in_live_and_a_non_scalar_merge_key(tmp_path: Path, monkeypatch, capsys) -> None:
    _k8s(tmp_path, [_deployment([{"name": "MODE", "value": "safe"}])],
         [_served(_deployment([{"name": "MODE", "value": "safe"}, {"name": "MODE", "value": "debug"}, {"name": ["X"], "value": "1"}]), "u1")])
    monkeypatch.chdir(tmp_path)
    report = _report(capsys, "-t", "m.yaml", "--live", "live.json")
    added = sorted((f["drift"]["path"], json.dumps(f["drift"]["live"], sort_keys=True)) for f in report["findings"])
    assert added == [
        ('spec.template.spec.containers[name=web].env[name=MODE]', '{"name": "MODE", "value": "debug"}'),
        ('spec.template.spec.containers[name=web].env[name=["X"]]', '{"name": ["X"], "value": "1"}'),
    ]


def test_state_set_element_that_gained_fields_is_drift(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "main.tf").write_text('''resource "aws_security_group" "sg" {
  name = "sg"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}
''')
    rule = {"cidr_blocks": ["10.0.0.0/8"], "description": "", "from_port": 22, "ipv6_cidr_blocks": [], "prefix_list_ids": [],
            "protocol": "tcp", "security_groups": ["sg-attacker"], "self": True, "to_port": 22}
    state = {"version": 4, "terraform_version": "1.11.4", "serial": 1, "lineage": "x", "outputs": {}, "resources": [
        {"mode": "managed", "type": "aws_security_group", "name": "sg", "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
         "instances": [{"schema_version": 1, "attributes": {"id": "sg-1", "name": "sg", "ingress": [rule], "egress": []}, "sensitive_attributes": []}]}]}
    (tmp_path / "terraform.tfstate").write_text(json.dumps(state))
    monkeypatch.chdir(tmp_path)
    report = _report(capsys, "-t", "main.tf", "--live", "terraform.tfstate")
    kinds = sorted((f["rule_id"], f["drift"]["kind"], f["drift"]["path"]) for f in report["findings"])
    assert kinds == [("ZD-DRIFT-001", "added_in_live", "ingress"), ("ZD-DRIFT-001", "removed_in_live", "ingress")]
    added = next(f for f in report["findings"] if f["drift"]["kind"] == "added_in_live")
    assert added["drift"]["live"]["security_groups"] == ["sg-attacker"] and added["drift"]["live"]["self"] is True


def test_realistic_exports_of_more_kinds_have_no_drift(tmp_path: Path, monkeypatch, capsys) -> None:
    """DaemonSet, StatefulSet with claim templates, Job, CronJob, PVC, HPA v2, Ingress and projected
    service-account tokens as a 1.28-1.31 server returns them."""
    shutil.copy(REVIEW / "kinds-manifests.yaml", tmp_path / "m.yaml")
    shutil.copy(REVIEW / "kinds-export.yaml", tmp_path / "live.yaml")
    monkeypatch.chdir(tmp_path)
    report = _report(capsys, "-t", "m.yaml", "--live", "live.yaml")
    assert report["findings"] == []
    assert report["drift"]["counts"]["in_sync"] == 7


def test_another_export_in_the_template_folder_is_not_a_template(tmp_path: Path, monkeypatch, capsys) -> None:
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "app"}, "data": {"a": "b"}}
    _k8s(tmp_path, [cm], [_served({**cm, "data": {"a": "changed"}}, "u1")])
    (tmp_path / "older-export.json").write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": [_served({**cm, "data": {"a": "changed"}}, "u1")]}))
    monkeypatch.chdir(tmp_path)
    report = _report(capsys, "-t", ".", "--live", "live.json")
    assert [(f["drift"]["path"], f["drift"]["desired"], f["drift"]["live"]) for f in report["findings"]] == [("data.a", "b", "changed")]
    assert [d["file"] for d in report["diagnostics"]] == ["older-export.json"]


def test_cilium_policy_deletion_is_high_and_not_inspected_is_not_in_sync(tmp_path: Path, monkeypatch, capsys) -> None:
    cnp = {"apiVersion": "cilium.io/v2", "kind": "CiliumNetworkPolicy", "metadata": {"name": "cnp", "namespace": "app"},
           "spec": {"endpointSelector": {}, "ingress": [{}]}}
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "app"}, "stringData": {"k": "v"}}
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "app"}, "data": {"a": "b"}}
    _k8s(tmp_path, [cnp, secret, cm], [_served(cm, "u1")])
    monkeypatch.chdir(tmp_path)
    report = _report(capsys, "-t", "m.yaml", "--live", "live.json")
    assert [(f["rule_id"], f["severity"], f["resource"]) for f in report["findings"]] == [
        ("ZD-DRIFT-003", "high", "cilium.io/CiliumNetworkPolicy/app/cnp")]
    assert report["drift"]["counts"]["not_inspected"] == 1 and report["drift"]["counts"]["in_sync"] == 1


def test_two_set_elements_added_at_one_path_have_distinct_fingerprints(tmp_path: Path, monkeypatch, capsys) -> None:
    rb = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "rb", "namespace": "app"},
          "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"},
          "subjects": [{"kind": "ServiceAccount", "name": "app", "namespace": "app"}]}
    more = {**rb, "subjects": rb["subjects"] + [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": n} for n in ("eve", "mallory")]}
    _k8s(tmp_path, [rb], [_served(more, "u1")])
    monkeypatch.chdir(tmp_path)
    report = _report(capsys, "-t", "m.yaml", "--live", "live.json")
    assert [f["drift"]["live"]["name"] for f in report["findings"]] == ["eve", "mallory"]
    assert len({f["fingerprint"] for f in report["findings"]}) == 2


def test_references_to_secrets_and_imds_tokens_stay_visible(tmp_path: Path, monkeypatch, capsys) -> None:
    volume = {"name": "creds", "secret": {"secretName": "db-creds"}}
    desired = _deployment([])
    desired["spec"]["template"]["spec"]["volumes"] = [volume]
    live = json.loads(json.dumps(desired))
    live["spec"]["template"]["spec"]["volumes"][0]["secret"]["secretName"] = "stolen-creds"
    _k8s(tmp_path, [desired], [_served(live, "u1")])
    monkeypatch.chdir(tmp_path)
    report = _report(capsys, "-t", "m.yaml", "--live", "live.json")
    assert [(f["drift"]["desired"], f["drift"]["live"]) for f in report["findings"]] == [("db-creds", "stolen-creds")]


# ---------------------------------------------------------------- ignore file

@pytest.mark.parametrize("entry,hidden", [
    ('{match: {rule: ZD-DRIFT-002}, reason: "by the grading rule id"}', {"ZD-DRIFT-002"}),
    ('{match: {kind: ConfigMap}, jsonPointers: ["/data/gone"], reason: "a pointer to a field removed in live"}', {"ZD-DRIFT-002"}),
    ('{match: {kind: Deployment}, paths: ["spec.template.spec.hostNetwork"], reason: "break-glass", allow_security: true}',
     {"ZD-DRIFT-001", "ZD-K8S-002"}),
    ('{match: {kind: Deployment}, paths: ["spec.template.spec.hostNetwork"], reason: "no allow_security"}', {"ZD-DRIFT-001"}),
])
def test_ignore_entries_match_as_documented(tmp_path: Path, monkeypatch, capsys, entry: str, hidden: set) -> None:
    desired = _deployment([])
    live = json.loads(json.dumps(desired))
    live["spec"]["template"]["spec"]["hostNetwork"] = True
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "app"}, "data": {"gone": "x", "keep": "y"}}
    _k8s(tmp_path, [desired, cm], [_served(live, "u1"), _served({**cm, "data": {"keep": "y"}}, "u2")])
    (tmp_path / "ignore.yaml").write_text(f"version: 1\nrules:\n  - {entry}\n")
    monkeypatch.chdir(tmp_path)
    report = _report(capsys, "-t", "m.yaml", "--live", "live.json", "--ignore-file", "ignore.yaml")
    assert {f["rule_id"] for f in report["suppressed"]} == hidden


def test_ignore_name_of_a_terraform_address_with_dots_and_an_index(tmp_path: Path, monkeypatch, capsys) -> None:
    from scanner.drift.ignore import _identity

    assert _identity({"source": "aws", "type": "aws_s3_bucket", "address": "aws_s3_bucket.logs.example.com"}, "ZD-DRIFT-007")["name"] == "logs.example.com"
    assert _identity({"source": "terraform-plan", "type": "aws_instance", "address": "module.a[0].aws_instance.web[0]"}, "x")["name"] == "web"
    assert _identity({"source": "terraform-state", "type": "aws_s3_bucket", "address": 'aws_s3_bucket.b["a.b"]'}, "x")["name"] == "b"


# ---------------------------------------------------------------- second review: Terraform side

def _state(resources: list[dict]) -> str:
    return json.dumps({"version": 4, "terraform_version": "1.11.4", "serial": 1, "lineage": "x", "outputs": {}, "resources": [
        {"mode": "managed", "type": t, "name": n, "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
         "instances": [{"schema_version": 0, "attributes": a, "sensitive_attributes": []}]} for t, n, a in resources]})


def test_count_zero_empty_for_each_and_unknown_count_are_not_missing(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "main.tf").write_text('''variable "enable_flow_logs" {
  default = false
}
resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}
resource "aws_flow_log" "vpc" {
  count        = var.enable_flow_logs ? 1 : 0
  vpc_id       = "vpc-1"
  traffic_type = "ALL"
}
resource "aws_cloudtrail" "none" {
  count          = 0
  name           = "t"
  s3_bucket_name = "logs"
}
resource "aws_cloudtrail" "extra" {
  for_each       = toset([])
  name           = each.key
  s3_bucket_name = "logs"
}
''')
    (tmp_path / "terraform.tfstate").write_text(_state([("aws_s3_bucket", "logs", {"id": "logs", "bucket": "logs"})]))
    monkeypatch.chdir(tmp_path)
    report = _report(capsys, "-t", "main.tf", "--live", "terraform.tfstate")
    assert report["findings"] == []
    assert report["drift"]["counts"]["in_sync"] == 1 and report["drift"]["counts"]["not_inspected"] == 1


def test_a_deposed_object_in_a_plan_is_not_the_current_one(tmp_path: Path, monkeypatch, capsys) -> None:
    shutil.copytree(REVIEW / "plan-deposed", tmp_path / "p")
    plan = json.loads((tmp_path / "p" / "plan.json").read_text())
    current = json.loads(json.dumps(plan["resource_drift"][0]))  # the current object drifted too
    del current["deposed"]
    current["change"].update(actions=["update"], after={**current["change"]["before"], "tags": {"owner": "eve"}})
    plan["resource_drift"].append(current)
    (tmp_path / "p" / "plan.json").write_text(json.dumps(plan))
    monkeypatch.chdir(tmp_path)
    report = _report(capsys, "-t", "p", "--live", "p/plan.json")
    # the current trail's drift is read; the deposed leftover's deletion is not taken for it
    assert [(f["resource"], f["drift"]["kind"], f["drift"]["path"]) for f in report["findings"]] == [
        ("aws_cloudtrail.main", "added_in_live", "tags")]


def test_a_standalone_sg_rule_the_template_already_opens_is_not_compliance_drift(tmp_path: Path, monkeypatch, capsys) -> None:
    shutil.copytree(REVIEW / "state-standalone-sg-rule", tmp_path / "s")
    monkeypatch.chdir(tmp_path)
    report = _report(capsys, "-t", "s", "--live", "s/terraform.tfstate")
    assert report["findings"] == []


def test_nested_set_blocks_filled_in_by_the_provider_are_in_sync(tmp_path: Path, monkeypatch, capsys) -> None:
    shutil.copytree(REVIEW / "state-nested-sets", tmp_path / "s")
    monkeypatch.chdir(tmp_path)
    report = _report(capsys, "-t", "s", "--live", "s/terraform.tfstate")
    assert report["findings"] == [] and report["drift"]["counts"]["in_sync"] == 2


def test_a_stopped_trail_is_drift_even_when_the_template_relies_on_the_default(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_cloudtrail" "main" {\n  name           = "org"\n  s3_bucket_name = "logs"\n}\n')
    (tmp_path / "terraform.tfstate").write_text(_state([("aws_cloudtrail", "main", {
        "id": "org", "name": "org", "s3_bucket_name": "logs", "enable_logging": False, "include_global_service_events": True})]))
    monkeypatch.chdir(tmp_path)
    report = _report(capsys, "-t", "main.tf", "--live", "terraform.tfstate")
    trail = next(f for f in report["findings"] if f["drift"]["path"] == "enable_logging")
    assert (trail["rule_id"], trail["drift"]["desired"], trail["drift"]["live"]) == ("ZD-DRIFT-001", True, False)
    assert "keep the live value" not in trail["fix"]  # never offered for security-sensitive drift


def test_remediation_for_instances_uses_state_rm_and_imports_never_reuse_an_address(tmp_path: Path, monkeypatch, capsys) -> None:
    from scanner.drift.remediate import terraform as tf_fix

    missing = {"kind": "missing", "source": "terraform-state", "type": "aws_s3_bucket", "address": 'module.net["a.b"].aws_s3_bucket.c[0]',
               "path_parts": []}
    text = tf_fix(missing, None, "main.tf", 3, plan=False)
    assert "terraform state rm 'module.net[\"a.b\"].aws_s3_bucket.c[0]'" in text and "removed {" not in text
    unmanaged = {"kind": "unmanaged", "source": "aws", "type": "aws_security_group", "address": "aws_security_group.web",
                 "native_id": "sg-1", "path_parts": []}
    text = tf_fix(unmanaged, {"name": "web", "id": "sg-1"}, "main.tf", 1, plan=False, taken=frozenset({"aws_security_group.web"}))
    assert 'import { to = aws_security_group.web_unmanaged  id = "sg-1" }' in text


def test_module_keys_holding_a_bracket_still_find_their_template(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "net").mkdir()
    (tmp_path / "main.tf").write_text('module "net" {\n  source   = "./net"\n  for_each = toset(["c]d"])\n}\n')
    (tmp_path / "net" / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n')
    plan = {"format_version": "1.2", "resource_drift": [{
        "address": 'module.net["c]d"].aws_s3_bucket.b', "module_address": 'module.net["c]d"]', "mode": "managed",
        "type": "aws_s3_bucket", "name": "b", "change": {"actions": ["update"], "before": {"bucket": "b", "acl": "private"},
                                                        "after": {"bucket": "b", "acl": "public-read"}}}]}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    monkeypatch.chdir(tmp_path)
    report = _report(capsys, "-t", ".", "--live", "plan.json")
    assert {(f["rule_id"], f["file"], f["line"]) for f in report["findings"]} == {("ZD-AWS-004", "net/main.tf", 1), ("ZD-DRIFT-001", "net/main.tf", 1)}
    assert report["diagnostics"] == []


def test_unmanaged_internet_exposure_is_at_least_medium(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n')
    rule = lambda port, cidr: {"id": f"sgr-{port}", "security_group_id": "sg-1", "ip_protocol": "tcp", "from_port": port,  # noqa: E731
                               "to_port": port, "cidr_ipv4": cidr}
    legacy = {"id": "sgrule-1", "type": "ingress", "security_group_id": "sg-1", "protocol": "tcp", "from_port": 22, "to_port": 22,
              "cidr_blocks": ["0.0.0.0/0"]}
    (tmp_path / "terraform.tfstate").write_text(_state([
        ("aws_s3_bucket", "b", {"id": "b", "bucket": "b"}),
        ("aws_vpc_security_group_ingress_rule", "web_open", rule(443, "0.0.0.0/0")),
        ("aws_vpc_security_group_ingress_rule", "web_office", rule(8443, "10.0.0.0/8")),
        ("aws_security_group_rule", "ssh", legacy),
    ]))
    monkeypatch.chdir(tmp_path)
    report = _report(capsys, "-t", "main.tf", "--live", "terraform.tfstate")
    graded = sorted((f["resource"], f["rule_id"], f["severity"]) for f in report["findings"])
    assert graded == [
        ("aws_security_group_rule.ssh", "ZD-DRIFT-009", "high"),  # raised by ZD-AWS-001 failing on it
        ("aws_vpc_security_group_ingress_rule.web_office", "ZD-DRIFT-007", "low"),
        ("aws_vpc_security_group_ingress_rule.web_open", "ZD-DRIFT-009", "medium"),
    ]
