"""The Kubernetes Python checks (scanner/engine/checks/kubernetes.py) on real parsed manifests:
namespace_without_default_deny_ingress (ZD-K8S-015) and namespace_without_strict_mtls (ZD-K8S-020)."""
from __future__ import annotations

from pathlib import Path

import pytest

from scanner.api import collect_resources
from scanner.config import ScanConfig
from scanner.engine.checks import Context
from scanner.engine.checks.kubernetes import namespace_without_default_deny_ingress
from scanner.engine.checks.kubernetes import namespace_without_strict_mtls
from scanner.engine.evaluate import evaluate
from scanner.engine.loader import load_rules
from scanner.model import Unknown

RULES = load_rules()


def _resources(tmp_path: Path, files: dict[str, str]):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    resources, diags, _ = collect_resources([str(tmp_path)], ScanConfig(root=str(tmp_path)))
    assert diags == []
    return resources


def _flagged(tmp_path: Path, files: dict[str, str], rule_id: str) -> list[tuple[str, int, str]]:
    resources = _resources(tmp_path, files)
    return sorted((f.file, f.line, f.resource) for f in evaluate(resources, {rule_id: RULES[rule_id]}))


def _context(resources) -> Context:
    by_group: dict = {}
    for res in resources:
        by_group.setdefault(res.group, []).append(res)
    return Context(by_group)


def deployment(name: str, namespace: str | None = None, pod_labels: str = "", pod_annotations: str = "") -> str:
    ns = f"  namespace: {namespace}\n" if namespace else ""
    annotations = f"      annotations:\n{pod_annotations}" if pod_annotations else ""
    return (
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n{ns}"
        f"spec:\n  selector:\n    matchLabels: {{app: {name}}}\n  template:\n    metadata:\n"
        f"      labels:\n        app: {name}\n{pod_labels}{annotations}"
        f"    spec:\n      containers:\n        - name: app\n          image: registry.example.com/{name}:1.0.0\n"
    )


def namespace(name: str, labels: str = "") -> str:
    label_block = f"  labels:\n{labels}" if labels else ""
    return f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n{label_block}"


def network_policy(name: str, namespace: str | None, spec: str) -> str:
    ns = f"  namespace: {namespace}\n" if namespace else ""
    return f"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {name}\n{ns}spec:\n{spec}"


def peer_auth(name: str, namespace: str, spec: str, api: str = "security.istio.io/v1") -> str:
    return f"apiVersion: {api}\nkind: PeerAuthentication\nmetadata:\n  name: {name}\n  namespace: {namespace}\nspec:\n{spec}"


def docs(*parts: str) -> str:
    return "---\n".join(parts)


# ---------------------------------------------------------------------------
# ZD-K8S-015


@pytest.mark.parametrize("spec,flagged", [
    ("  podSelector: {}\n  policyTypes: [Ingress]\n", False),                    # the classic default deny
    ("  podSelector: {}\n  policyTypes: [Ingress, Egress]\n", False),            # deny all
    ("  podSelector: {}\n", False),                                              # policyTypes unset: Ingress implied
    ("  {}\n", False),                                                           # an empty spec denies all ingress
    ("  policyTypes: [Ingress]\n", False),                                       # podSelector omitted = all pods
    ("  podSelector:\n    matchLabels: {}\n    matchExpressions: []\n", False),  # empty selector parts
    # namespace-wide with listed sources still denies everything else
    ("  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels: {team: a}\n", False),
    # open to everyone but only on listed ports: still isolated otherwise
    ("  podSelector: {}\n  ingress:\n    - ports:\n        - port: 8080\n", False),
    ("  podSelector: {}\n  ingress:\n    - {}\n", True),                                                # re-opened
    ("  podSelector: {}\n  ingress:\n    - from: []\n", True),                                          # empty from
    ("  podSelector: {}\n  ingress:\n    - from:\n        - ipBlock: {cidr: 0.0.0.0/0}\n", True),       # internet
    ("  podSelector: {}\n  ingress:\n    - from:\n        - ipBlock: {cidr: '::/0'}\n", True),
    ("  podSelector: {}\n  policyTypes: [Egress]\n", True),                                         # egress only
    ("  podSelector:\n    matchLabels: {app: web}\n  policyTypes: [Ingress]\n", True),                  # some pods
    ("  podSelector:\n    matchExpressions:\n      - {key: app, operator: Exists}\n", True),
])
def test_default_deny_variants(tmp_path: Path, spec: str, flagged: bool) -> None:
    text = docs(deployment("web", "shop"), network_policy("p", "shop", spec))
    found = _flagged(tmp_path, {"all.yaml": text}, "ZD-K8S-015")
    assert found == ([("all.yaml", 1, "Deployment/shop/web")] if flagged else [])


def test_no_policy_reports_first_workload_by_file_and_line(tmp_path: Path) -> None:
    files = {
        "b.yaml": deployment("late", "shop"),
        "a.yaml": docs(deployment("first", "shop"), deployment("second", "shop")),
        "c.yaml": deployment("other", "billing"),
    }
    found = _flagged(tmp_path, files, "ZD-K8S-015")
    assert found == [("a.yaml", 1, "Deployment/shop/first"), ("c.yaml", 1, "Deployment/billing/other")]


def test_namespace_object_carries_the_finding(tmp_path: Path) -> None:
    files = {
        "ns.yaml": docs(namespace("shop"), namespace("shop"), namespace("idle")),
        "app.yaml": deployment("web", "shop"),
    }
    found = _flagged(tmp_path, files, "ZD-K8S-015")
    # only the first Namespace object named shop; idle has no workloads
    assert found == [("ns.yaml", 1, "Namespace/shop")]


def test_policy_in_another_namespace_does_not_count(tmp_path: Path) -> None:
    text = docs(deployment("web", "shop"), network_policy("deny", "billing", "  podSelector: {}\n"))
    assert _flagged(tmp_path, {"all.yaml": text}, "ZD-K8S-015") == [("all.yaml", 1, "Deployment/shop/web")]


def test_objects_without_namespace_share_the_default_namespace(tmp_path: Path) -> None:
    files = {"app.yaml": deployment("web"), "policy.yaml": network_policy("deny", None, "  podSelector: {}\n")}
    assert _flagged(tmp_path, files, "ZD-K8S-015") == []
    files = {"app.yaml": deployment("web"), "policy.yaml": network_policy("deny", "default", "  podSelector: {}\n")}
    assert _flagged(tmp_path, files, "ZD-K8S-015") == []


def test_no_workloads_no_finding(tmp_path: Path) -> None:
    text = docs(namespace("shop"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: shop\ndata: {a: b}\n")
    assert _flagged(tmp_path, {"all.yaml": text}, "ZD-K8S-015") == []


def test_unknown_policy_value_is_not_a_verdict(tmp_path: Path) -> None:
    resources = _resources(tmp_path, {"all.yaml": docs(deployment("web", "shop"), network_policy("p", "shop", "  podSelector: {}\n"))})
    policy = next(r for r in resources if r.type == "NetworkPolicy")
    workload = next(r for r in resources if r.type == "Deployment")
    policy.attributes["spec"]["podSelector"] = Unknown("var.selector")
    assert list(namespace_without_default_deny_ingress(workload, _context(resources), {})) == []
    policy.attributes["spec"]["podSelector"] = {"matchLabels": {"app": "web"}}
    assert list(namespace_without_default_deny_ingress(workload, _context(resources), {})) == [((), "namespace shop")]


# ---------------------------------------------------------------------------
# ZD-K8S-020

MESH_STRICT = peer_auth("default", "istio-system", "  mtls:\n    mode: STRICT\n")
MESH_PERMISSIVE = peer_auth("default", "istio-system", "  mtls:\n    mode: PERMISSIVE\n")
INJECTED = "    istio-injection: enabled\n"


def test_no_mesh_no_finding(tmp_path: Path) -> None:
    assert _flagged(tmp_path, {"app.yaml": deployment("web", "shop")}, "ZD-K8S-020") == []


def test_mesh_resource_without_strict_flags_first_workload(tmp_path: Path) -> None:
    dr = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  host: web\n"
    files = {"app.yaml": docs(deployment("web", "shop"), deployment("api", "shop")), "mesh.yaml": dr}
    assert _flagged(tmp_path, files, "ZD-K8S-020") == [("app.yaml", 1, "Deployment/shop/web")]


@pytest.mark.parametrize("mesh,own,flagged", [
    (MESH_STRICT, "", False),                                                           # inherits STRICT
    (MESH_STRICT, peer_auth("default", "shop", "  mtls:\n    mode: UNSET\n"), False),   # UNSET inherits
    (MESH_STRICT, peer_auth("default", "shop", "  mtls: {}\n"), False),                 # no mode inherits
    (MESH_STRICT, peer_auth("default", "shop", "  mtls:\n    mode: PERMISSIVE\n"), True),   # overrides the mesh
    (MESH_STRICT, peer_auth("default", "shop", "  mtls:\n    mode: DISABLE\n"), True),
    (MESH_PERMISSIVE, "", True),
    (MESH_PERMISSIVE, peer_auth("default", "shop", "  mtls:\n    mode: STRICT\n"), False),  # namespace wins
    (MESH_PERMISSIVE, peer_auth("default", "shop", "  mtls:\n    mode: STRICT\n", api="security.istio.io/v1beta1"), False),
    # a workload-scoped STRICT policy does not cover the namespace
    (MESH_PERMISSIVE, peer_auth("web", "shop", "  selector:\n    matchLabels: {app: web}\n  mtls:\n    mode: STRICT\n"), True),
    # a look-alike kind from another API group is ignored
    (MESH_PERMISSIVE, peer_auth("default", "shop", "  mtls:\n    mode: STRICT\n", api="example.com/v1"), True),
    # a STRICT policy in another (non-root) namespace does not help
    (MESH_PERMISSIVE, peer_auth("default", "billing", "  mtls:\n    mode: STRICT\n"), True),
])
def test_strict_coverage(tmp_path: Path, mesh: str, own: str, flagged: bool) -> None:
    parts = [namespace("shop", INJECTED), mesh] + ([own] if own else [])
    files = {"mesh.yaml": docs(*parts), "app.yaml": deployment("web", "shop")}
    assert _flagged(tmp_path, files, "ZD-K8S-020") == ([("mesh.yaml", 1, "Namespace/shop")] if flagged else [])


@pytest.mark.parametrize("labels,pod_labels,pod_annotations,flagged", [
    (INJECTED, "", "", True),
    ("    istio.io/rev: canary\n", "", "", True),
    ("    istio.io/dataplane-mode: ambient\n", "", "", True),
    ("    istio-injection: disabled\n", "", "", False),
    # disabled on the namespace wins over a pod opting in
    ("    istio-injection: disabled\n", "        sidecar.istio.io/inject: \"true\"\n", "", False),
    ("", "", "", False),                                                   # not enrolled, no opt-in
    ("", "        sidecar.istio.io/inject: \"true\"\n", "", True),         # the workload opts in
    ("", "        istio.io/rev: stable\n", "", True),
    (INJECTED, "", "        sidecar.istio.io/inject: \"false\"\n", False),  # the only workload opts out
])
def test_namespace_enrolment(tmp_path: Path, labels: str, pod_labels: str, pod_annotations: str, flagged: bool) -> None:
    files = {
        "mesh.yaml": docs(namespace("shop", labels), MESH_PERMISSIVE),
        "app.yaml": deployment("web", "shop", pod_labels=pod_labels, pod_annotations=pod_annotations),
    }
    assert _flagged(tmp_path, files, "ZD-K8S-020") == ([("mesh.yaml", 1, "Namespace/shop")] if flagged else [])


def test_without_namespace_object_opted_out_workloads_are_skipped(tmp_path: Path) -> None:
    files = {
        "mesh.yaml": MESH_PERMISSIVE,
        "app.yaml": docs(
            deployment("job-runner", "batch", pod_annotations="        sidecar.istio.io/inject: \"false\"\n"),
            deployment("web", "batch"),
        ),
    }
    # the first meshed workload carries the finding, not the opted-out one before it
    assert _flagged(tmp_path, files, "ZD-K8S-020") == [("app.yaml", 20, "Deployment/batch/web")]


def test_root_and_system_namespaces_are_skipped(tmp_path: Path) -> None:
    files = {
        "mesh.yaml": MESH_PERMISSIVE,
        "app.yaml": docs(deployment("istiod", "istio-system"), deployment("agent", "kube-system")),
    }
    assert _flagged(tmp_path, files, "ZD-K8S-020") == []


def test_mesh_root_namespace_parameter(tmp_path: Path) -> None:
    resources = _resources(tmp_path, {
        "mesh.yaml": docs(namespace("shop", INJECTED), peer_auth("default", "mesh-root", "  mtls:\n    mode: STRICT\n")),
        "app.yaml": deployment("web", "shop"),
    })
    ctx = _context(resources)
    ns = next(r for r in resources if r.type == "Namespace")
    assert list(namespace_without_strict_mtls(ns, ctx, {"mesh_root_namespace": "mesh-root"})) == []
    hits = list(namespace_without_strict_mtls(ns, ctx, {"mesh_root_namespace": "istio-system"}))
    assert hits == [((), "namespace shop: no namespace-wide STRICT PeerAuthentication and none mesh-wide in istio-system")]


def test_unknown_mode_is_not_a_verdict(tmp_path: Path) -> None:
    resources = _resources(tmp_path, {
        "mesh.yaml": docs(namespace("shop", INJECTED), peer_auth("default", "shop", "  mtls:\n    mode: STRICT\n")),
        "app.yaml": deployment("web", "shop"),
    })
    ctx = _context(resources)
    ns = next(r for r in resources if r.type == "Namespace")
    pa = next(r for r in resources if r.type == "PeerAuthentication")
    assert list(namespace_without_strict_mtls(ns, ctx, {})) == []
    pa.attributes["spec"]["mtls"]["mode"] = Unknown("var.mode")
    assert list(namespace_without_strict_mtls(ns, ctx, {})) == []
    pa.attributes["spec"]["mtls"]["mode"] = "PERMISSIVE"
    assert list(namespace_without_strict_mtls(ns, ctx, {})) == [((), "namespace shop: a namespace-wide PeerAuthentication sets PERMISSIVE")]
