"""`zerodrift drift` end to end on Kubernetes (export file and live API) and on
Terraform state: the same pipeline, grading and reports as for plans."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from k8s_fake_api import fake_k8s_api  # noqa: F401  (pytest fixture)
from k8s_fake_api import serve

from scanner.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"
K8S = FIXTURES / "kubernetes"
STATE = FIXTURES / "tfstate"

# the hand edits of the shop namespace, as zerodrift must grade them
SHOP_DRIFT = [
    ("ZD-DRIFT-007", "low", 1, "unmanaged", "", "/ConfigMap/shop/debug-dump"),
    ("ZD-DRIFT-002", "low", 11, "changed", "spec.replicas", "apps/Deployment/shop/api"),
    ("ZD-DRIFT-002", "low", 16, "added_in_live", 'spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]', "apps/Deployment/shop/api"),
    ("ZD-DRIFT-001", "medium", 19, "added_in_live", "spec.template.spec.hostNetwork", "apps/Deployment/shop/api"),
    ("ZD-K8S-002", "high", 19, "compliance_drift", "spec.template.spec.hostNetwork", "apps/Deployment/shop/api"),
    ("ZD-DRIFT-002", "low", 27, "added_in_live", "spec.template.spec.containers[name=api].env[name=DEBUG_ENDPOINTS]", "apps/Deployment/shop/api"),
    ("ZD-DRIFT-001", "medium", 49, "added_in_live", "spec.template.spec.containers[name=api].securityContext.privileged", "apps/Deployment/shop/api"),
    ("ZD-K8S-001", "critical", 49, "compliance_drift", "spec.template.spec.containers[0].securityContext.privileged", "apps/Deployment/shop/api"),
    ("ZD-DRIFT-001", "medium", 140, "added_in_live", "subjects", "rbac.authorization.k8s.io/RoleBinding/shop/api-reader"),
]


def _report(capsys, *args: str) -> tuple[int, dict]:
    code = main(["drift", *args, "--format", "json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, json.loads(out)


def _graded(report: dict) -> list[tuple]:
    return [(f["rule_id"], f["severity"], f["line"], f["drift"]["kind"], f["drift"]["path"], f["resource"]) for f in report["findings"]]


@pytest.fixture
def shop(tmp_path: Path, monkeypatch) -> Path:
    shutil.copy(K8S / "shop-manifests.yaml", tmp_path / "manifests.yaml")
    shutil.copy(K8S / "shop-export.json", tmp_path / "export.json")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_kubernetes_export_finds_hand_edits_and_not_the_server_noise(shop: Path, capsys) -> None:
    code, report = _report(capsys, "--template", "manifests.yaml", "--live", "export.json")
    assert code == 1  # privileged: true is critical compliance drift
    assert _graded(report) == SHOP_DRIFT
    assert {f["file"] for f in report["findings"]} == {"manifests.yaml"}
    # the export carries status, managedFields, uid, resourceVersion, clusterIPs, defaulted
    # pod and container fields, the last-applied annotation, kube-root-ca.crt and the default
    # ServiceAccount: none of it is reported
    paths = " ".join(f["drift"]["path"] for f in report["findings"])
    for noise in ("status", "managedFields", "uid", "resourceVersion", "clusterIP", "dnsPolicy", "terminationMessagePath",
                  "imagePullPolicy", "last-applied-configuration", "revisionHistoryLimit"):
        assert noise not in paths
    assert report["drift"]["counts"] == {"changed": 2, "default": 3, "in_sync": 5, "missing": 0, "not_inspected": 0, "unmanaged": 1}
    subjects = next(f for f in report["findings"] if f["drift"]["path"] == "subjects")
    assert subjects["drift"]["live"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "mallory"}
    actors = {f["drift"]["path"]: f["drift"].get("actor") for f in report["findings"] if f["drift"]["kind"] != "compliance_drift"}
    assert actors == {  # from managedFields: who wrote each live value
        "": None, "spec.replicas": "kubectl-edit",
        'spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]': "kubectl-rollout",
        "spec.template.spec.hostNetwork": "kubectl-edit",
        "spec.template.spec.containers[name=api].env[name=DEBUG_ENDPOINTS]": "kubectl-edit",
        "spec.template.spec.containers[name=api].securityContext.privileged": "kubectl-edit",
        "subjects": None,  # the RoleBinding export carries no managedFields
    }
    privileged = next(f for f in report["findings"] if f["rule_id"] == "ZD-DRIFT-001" and f["drift"]["path"].endswith("privileged"))
    assert privileged["message"].endswith("(by kubectl-edit)")
    assert "kubectl patch deployment api -n shop --type=json" in privileged["fix"]
    assert '"op": "remove", "path": "/spec/template/spec/containers/0/securityContext/privileged"' in privileged["fix"]


def test_kubernetes_secret_values_are_never_shown(shop: Path, capsys, tmp_path: Path) -> None:
    secret_manifest = (K8S / "shop-secret.yaml").read_text()
    (shop / "manifests.yaml").write_text((shop / "manifests.yaml").read_text() + "\n---\n" + secret_manifest)
    export = json.loads((shop / "export.json").read_text())
    import base64

    export["items"].append({"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                            "metadata": {"name": "api-db", "namespace": "shop", "uid": "5e1f0000-0000-4000-8000-000000000001",
                                         "resourceVersion": "777", "creationTimestamp": "2026-11-01T10:00:00Z"},
                            "data": {"DB_PASSWORD": base64.b64encode(b"Live-Changed-Passw0rd!").decode()}})
    (shop / "export.json").write_text(json.dumps(export))
    for fmt in ("text", "json", "sarif", "markdown", "junit"):
        code = main(["drift", "--template", "manifests.yaml", "--live", "export.json", "--format", fmt])
        out, err = capsys.readouterr()
        assert code == 1
        assert "Live-Changed-Passw0rd!" not in out + err
        assert base64.b64encode(b"Live-Changed-Passw0rd!").decode() not in out + err
    _, report = _report(capsys, "--template", "manifests.yaml", "--live", "export.json")
    secret = [f for f in report["findings"] if f["resource"] == "/Secret/shop/api-db"]
    assert secret and all("[REDACTED]" in json.dumps(f["drift"]) for f in secret)


def test_live_kubernetes_api_gives_the_same_drift_as_the_export(shop: Path, capsys, monkeypatch) -> None:
    items = json.loads((shop / "export.json").read_text())["items"]
    with serve(items, directory=shop) as api:
        monkeypatch.setenv("KUBECONFIG", str(api.kubeconfig))
        code, report = _report(capsys, "--template", "manifests.yaml", "--live", f"k8s://{api.context}/shop")
        assert api.non_get_requests() == []  # read-only
    assert code == 1
    assert _graded(report) == SHOP_DRIFT
    assert report["drift"]["source"] == "kubernetes"
    assert report["drift"]["provenance"].startswith(f"k8s://{api.context}/shop")


def test_kubernetes_sarif_names_the_live_identity(shop: Path, capsys, sarif_validator) -> None:
    code = main(["drift", "--template", "manifests.yaml", "--live", "export.json", "--format", "sarif"])
    sarif = json.loads(capsys.readouterr().out)
    sarif_validator.validate(sarif)
    results = sarif["runs"][0]["results"]
    unmanaged = next(r for r in results if r["properties"]["drift"]["kind"] == "unmanaged")
    assert unmanaged["locations"][0]["logicalLocations"] == [
        {"kind": "resource", "fullyQualifiedName": "/ConfigMap/shop/debug-dump", "name": "e8f9a0b1-2c3d-4e5f-9a6b-7c8d9e0f1a2b"}]
    assert unmanaged["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "manifests.yaml"
    assert unmanaged["locations"][0]["physicalLocation"]["region"]["startLine"] == 1


def test_kubeconfig_option_names_the_cluster(shop: Path, capsys, monkeypatch) -> None:
    items = json.loads((shop / "export.json").read_text())["items"]
    with serve(items, directory=shop) as api:
        monkeypatch.setenv("KUBECONFIG", str(shop / "does-not-exist"))
        code, report = _report(capsys, "--template", "manifests.yaml", "--live", f"k8s://{api.context}/shop", "--kubeconfig", str(api.kubeconfig))
    assert code == 1 and _graded(report) == SHOP_DRIFT


def test_live_kubernetes_api_without_secret_access_never_calls_secrets_missing(shop: Path, capsys, monkeypatch) -> None:
    (shop / "manifests.yaml").write_text((shop / "manifests.yaml").read_text() + "\n---\n" + (K8S / "shop-secret.yaml").read_text())
    items = json.loads((shop / "export.json").read_text())["items"]
    with serve(items, forbidden=[("", "secrets")], directory=shop) as api:
        monkeypatch.setenv("KUBECONFIG", str(api.kubeconfig))
        _, report = _report(capsys, "--template", "manifests.yaml", "--live", f"k8s://{api.context}/shop")
    assert not [f for f in report["findings"] if f["resource"].startswith("/Secret/")]
    assert report["drift"]["counts"]["not_inspected"] == 1
    assert any("secret" in d["reason"].lower() for d in report["diagnostics"])


def test_live_kubernetes_errors_are_one_line(shop: Path, capsys, monkeypatch) -> None:
    with serve([], directory=shop, token="right-token") as api:
        api.write_kubeconfig(shop / "wrong", token="wrong-token")
        monkeypatch.setenv("KUBECONFIG", str(shop / "wrong"))
        code = main(["drift", "--template", "manifests.yaml", "--live", f"k8s://{api.context}"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "wrong-token" not in err and "Traceback" not in err


@pytest.mark.slow
def test_live_kubernetes_from_a_subprocess_with_only_kubeconfig(shop: Path) -> None:
    items = json.loads((shop / "export.json").read_text())["items"]
    with serve(items, directory=shop) as api:
        env = {**os.environ, "KUBECONFIG": str(api.kubeconfig)}
        proc = subprocess.run([sys.executable, "-m", "scanner", "drift", "-t", "manifests.yaml", "--live", f"k8s://{api.context}/shop",
                               "--format", "sarif"], cwd=shop, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    results = json.loads(proc.stdout)["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {rule for rule, *_ in SHOP_DRIFT}


def test_terraform_state_against_templates(tmp_path: Path, capsys, monkeypatch) -> None:
    shutil.copytree(STATE, tmp_path / "infra")
    monkeypatch.chdir(tmp_path)
    code, report = _report(capsys, "--template", "infra", "--live", "infra/terraform.tfstate")
    assert code == 1
    graded = {(f["rule_id"], f["severity"], f["drift"]["kind"], f["resource"], f["drift"]["path"]) for f in report["findings"]}
    assert ("ZD-AWS-001", "high", "compliance_drift", "aws_security_group.web", "ingress[0].cidr_blocks[0]") in graded
    assert ("ZD-DRIFT-001", "medium", "added_in_live", "aws_security_group.web", "ingress") in graded
    assert ("ZD-DRIFT-001", "medium", "changed", "aws_s3_bucket_public_access_block.logs", "block_public_acls") in graded
    assert ("ZD-DRIFT-002", "low", "added_in_live", "aws_s3_bucket.assets[1]", "tags.Owner") in graded
    assert ("ZD-DRIFT-004", "medium", "missing", "aws_s3_bucket.never_applied", "") in graded
    unmanaged = next(f for f in report["findings"] if f["drift"]["kind"] == "unmanaged")
    assert unmanaged["resource"] == "aws_s3_bucket.legacy" and "is in the state, no template declares it" in unmanaged["message"]
    assert "terraform state rm 'aws_s3_bucket.legacy'" in unmanaged["fix"]
    assert not [f for f in report["findings"] if f["drift"]["kind"] == "compliance_drift" and f["resource"] == "aws_s3_bucket.legacy"]
    assert report["drift"]["source"] == "terraform-state" and report["drift"]["last_known"] is True
    assert "Pa55" not in json.dumps(report)


def test_cluster_wide_objects_and_namespace_rules(tmp_path: Path, capsys, monkeypatch) -> None:
    """A disguised admin binding is high; an unmanaged Namespace takes the severity of the rule failing on
    it; a namespace-level rule that reports on the Namespace object in live and on the first workload in
    the templates is neither compliance drift nor live-stricter; Secret values stay hidden."""
    shutil.copy(K8S / "cluster-manifests.yaml", tmp_path / "manifests.yaml")
    shutil.copy(K8S / "cluster-export.yaml", tmp_path / "export.yaml")
    monkeypatch.chdir(tmp_path)
    code, report = _report(capsys, "--template", "manifests.yaml", "--live", "export.yaml")
    assert code == 1
    assert _graded(report) == [
        ("ZD-DRIFT-005", "high", 1, "unmanaged", "", "rbac.authorization.k8s.io/ClusterRoleBinding//system:metrics-reader"),
        ("ZD-DRIFT-007", "medium", 1, "unmanaged", "", "/Namespace//shop"),
        ("ZD-DRIFT-007", "low", 1, "unmanaged", "", "autoscaling/HorizontalPodAutoscaler/shop/web"),
        ("ZD-DRIFT-002", "low", 22, "changed", "data.DB_PASSWORD", "/Secret/shop/api-db"),
    ]
    namespace = report["findings"][1]["drift"]
    assert namespace["failing_rules"] == ["ZD-K8S-015"]
    secret = report["findings"][3]["drift"]
    assert (secret["desired"], secret["live"]) == ("[REDACTED]", "[REDACTED]")


def test_kubernetes_ignore_file_by_pointer_and_by_path_without_selectors(shop: Path, capsys) -> None:
    (shop / "drift-ignore.yaml").write_text("""version: 1
rules:
  - match: {source: kubernetes, group: apps, kind: Deployment, namespace: shop, name: "*"}
    jsonPointers: ["/spec/replicas"]
    reason: "scaled by the HPA"
  - match: {kind: Deployment}
    paths: ["spec.template.spec.containers.env"]
    reason: "debug flags are managed by the on-call runbook"
  - match: {kind: Deployment}
    paths: ["spec.template.spec.containers.securityContext"]
    reason: "an attribute ignore does not hide what makes a rule fail"
  - match: {kind: unmanaged, namespace: shop, name: "debug-*"}
    reason: "created by the debug job"
    expires: 2099-01-01
""")
    code, report = _report(capsys, "--template", "manifests.yaml", "--live", "export.json", "--ignore-file", "drift-ignore.yaml")
    assert code == 1
    suppressed = sorted((f["rule_id"], f["drift"]["path"], f["suppression"]["justification"]) for f in report["suppressed"])
    assert suppressed == [
        ("ZD-DRIFT-001", "spec.template.spec.containers[name=api].securityContext.privileged", "an attribute ignore does not hide what makes a rule fail"),
        ("ZD-DRIFT-002", "spec.replicas", "scaled by the HPA"),
        ("ZD-DRIFT-002", "spec.template.spec.containers[name=api].env[name=DEBUG_ENDPOINTS]", "debug flags are managed by the on-call runbook"),
        ("ZD-DRIFT-007", "", "created by the debug job"),
    ]
    active = {(f["rule_id"], f["drift"]["kind"]) for f in report["findings"]}
    assert ("ZD-K8S-001", "compliance_drift") in active  # still failing: allow_security was not set


def test_field_manager_picks_the_owner_of_the_exact_field() -> None:
    from scanner.drift.sources.kubernetes import field_manager
    from scanner.model import Selector

    managed = [
        {"manager": "kubectl-client-side-apply", "operation": "Update", "time": "2026-01-01T00:00:00Z",
         "fieldsV1": {"f:spec": {"f:replicas": {}, "f:template": {"f:spec": {"f:containers": {'k:{"name":"api"}': {"f:image": {}}}}}}}},
        {"manager": "kubectl-edit", "operation": "Update", "time": "2026-02-01T00:00:00Z",
         "fieldsV1": {"f:spec": {"f:template": {"f:spec": {"f:containers": {'k:{"name":"api"}': {"f:image": {}}}}}}}},
        {"manager": "kube-controller-manager", "operation": "Update", "subresource": "status", "time": "2026-03-01T00:00:00Z",
         "fieldsV1": {"f:spec": {"f:replicas": {}}}},
        {"manager": "broken", "fieldsV1": "not a map"},
    ]
    image = ("spec", "template", "spec", "containers", Selector("name=api"), "image")
    assert field_manager(managed, image) == "kubectl-edit"  # both own it: the latest write
    assert field_manager(managed, ("spec", "replicas")) == "kubectl-client-side-apply"  # status subresource skipped
    assert field_manager(managed, ("spec", "template", "spec", "hostNetwork")) == ""  # nobody owns it
    assert field_manager(managed, ("spec", "template", "spec", "containers", Selector("name=sidecar"), "image")) == ""
