"""The Kubernetes export source on hand-written `kubectl get -o json|yaml`
exports and manifests parsed by the real parser: the seven-kind scenario of
shared/docs/drift.md section 5.7, keys, defaults, children, what was
inspected, Secrets, HPAs, rules on live objects and malformed exports."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from scanner.api import collect_resources
from scanner.config import ScanConfig
from scanner.drift.model import LiveObject
from scanner.drift.normalize.kubernetes import normalize_live
from scanner.drift.sources.kubernetes import KubernetesSource
from scanner.drift.sources.kubernetes import parse_target
from scanner.engine.evaluate import run
from scanner.engine.loader import load_rules
from scanner.errors import ParseError
from scanner.errors import UsageError
from scanner.model import Resource
from scanner.model import format_path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "kubernetes"


def templates(*names: str) -> list[Resource]:
    resources, diagnostics, _ = collect_resources([str(FIXTURES / n) for n in names], ScanConfig(root=str(FIXTURES)))
    assert diagnostics == []
    return resources


def load(export: str, *manifests: str) -> tuple[KubernetesSource, list[Resource], object]:
    source = KubernetesSource()
    tmpl = templates(*manifests)
    return source, tmpl, source.load(str(FIXTURES / export), tmpl)


def drift_by_template(source: KubernetesSource, tmpl: list[Resource], snapshot) -> dict[str, list[tuple]]:
    live = {o.key: o for o in snapshot.objects}
    out = {}
    for t in tmpl:
        key = source.template_key(t)
        if key in live:
            out[key] = [(c.kind, format_path(c.path), c.desired, c.live) for c in source.compare(t, live[key])]
    return out


def test_seven_kinds_scenario_reports_exactly_the_out_of_band_edits() -> None:
    source, tmpl, snapshot = load("shop-export.json", "shop-manifests.yaml")
    assert drift_by_template(source, tmpl, snapshot) == {
        "apps/Deployment/shop/api": [
            ("changed", "spec.replicas", 2, 5),
            ("added_in_live", 'spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]', None, "2025-05-02T09:14:07Z"),
            ("added_in_live", "spec.template.spec.containers[name=api].env[name=DEBUG_ENDPOINTS]", None,
             {"name": "DEBUG_ENDPOINTS", "value": "true"}),
            ("added_in_live", "spec.template.spec.containers[name=api].securityContext.privileged", None, True),
            ("added_in_live", "spec.template.spec.hostNetwork", None, True),
        ],
        "/Service/shop/api": [],
        "/ConfigMap/shop/api-config": [],
        "networking.k8s.io/NetworkPolicy/shop/api-allow-frontend": [],
        "/ServiceAccount/shop/api": [],  # the pre-1.24 token secret is the token controller's
        "rbac.authorization.k8s.io/Role/shop/api-reader": [],
        "rbac.authorization.k8s.io/RoleBinding/shop/api-reader": [
            ("added_in_live", "subjects", None, {"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "mallory"}),
        ],
    }
    live = {o.key: o for o in snapshot.objects}
    change = source.compare(next(t for t in tmpl if t.type == "Deployment"), live["apps/Deployment/shop/api"])[4]
    assert change.pointer == "/spec/template/spec/hostNetwork"


def test_the_defaults_pruned_in_the_scenario() -> None:
    source, tmpl, snapshot = load("shop-export.json", "shop-manifests.yaml")
    live = {o.key: o for o in snapshot.objects}
    by_type = {t.type: t for t in tmpl}
    pruned: list[tuple] = []
    normalize_live(live["/Service/shop/api"].attributes, by_type["Service"].attributes, pruned=pruned)
    assert sorted(format_path(p) for p in pruned) == [
        "spec.clusterIP", "spec.clusterIPs", "spec.internalTrafficPolicy", "spec.ipFamilies", "spec.ipFamilyPolicy",
        "spec.ports[0].protocol", "spec.ports[1].protocol", "spec.ports[1].targetPort", "spec.sessionAffinity", "spec.type",
    ]  # the http port's targetPort is set by the manifest
    pruned = []
    normalize_live(live["apps/Deployment/shop/api"].attributes, by_type["Deployment"].attributes, pruned=pruned)
    c0, c1 = "spec.template.spec.containers[0]", "spec.template.spec.containers[1]"
    assert sorted(format_path(p) for p in pruned) == sorted([
        "spec.progressDeadlineSeconds", "spec.revisionHistoryLimit", "spec.strategy.type",
        "spec.strategy.rollingUpdate.maxSurge", "spec.strategy.rollingUpdate.maxUnavailable",
        "spec.template.metadata.creationTimestamp",
        "spec.template.spec.dnsPolicy", "spec.template.spec.restartPolicy", "spec.template.spec.schedulerName",
        "spec.template.spec.securityContext", "spec.template.spec.terminationGracePeriodSeconds",
        "spec.template.spec.serviceAccount", "spec.template.spec.volumes[0].configMap.defaultMode",
        f"{c0}.imagePullPolicy", f"{c0}.terminationMessagePath", f"{c0}.terminationMessagePolicy",
        f"{c0}.ports[0].protocol", f"{c0}.env[1].valueFrom.fieldRef.apiVersion",
        f"{c0}.livenessProbe.failureThreshold", f"{c0}.livenessProbe.periodSeconds", f"{c0}.livenessProbe.successThreshold",
        f"{c0}.livenessProbe.timeoutSeconds", f"{c0}.livenessProbe.httpGet.path", f"{c0}.livenessProbe.httpGet.scheme",
        f"{c0}.readinessProbe.failureThreshold", f"{c0}.readinessProbe.periodSeconds", f"{c0}.readinessProbe.successThreshold",
        f"{c0}.readinessProbe.timeoutSeconds", f"{c0}.readinessProbe.httpGet.scheme",
        f"{c1}.imagePullPolicy", f"{c1}.resources", f"{c1}.terminationMessagePath", f"{c1}.terminationMessagePolicy",
    ])


def test_keys_defaults_children_and_inspected() -> None:
    source, tmpl, snapshot = load("shop-export.json", "shop-manifests.yaml", "shop-secret.yaml")
    objects = {o.key: o for o in snapshot.objects}
    assert sorted(objects) == [
        "/ConfigMap/shop/api-config", "/ConfigMap/shop/debug-dump", "/ConfigMap/shop/kube-root-ca.crt",
        "/Endpoints/shop/api", "/Service/shop/api", "/ServiceAccount/shop/api", "/ServiceAccount/shop/default",
        "apps/Deployment/shop/api", "networking.k8s.io/NetworkPolicy/shop/api-allow-frontend",
        "rbac.authorization.k8s.io/Role/shop/api-reader", "rbac.authorization.k8s.io/RoleBinding/shop/api-reader",
    ]  # the ReplicaSet with a controller ownerReference is a child: left out
    assert [k for k, o in objects.items() if o.default] == [
        "/ConfigMap/shop/kube-root-ca.crt", "/Endpoints/shop/api", "/ServiceAccount/shop/default"]
    deployment = objects["apps/Deployment/shop/api"]
    assert (deployment.address, deployment.type, deployment.native_id, deployment.source, deployment.schema) == (
        "apps/Deployment/shop/api", "Deployment", "6f1c2a9e-3b7d-4e15-9a0c-2d8e4f6b1a01", "kubernetes", "kubernetes")
    assert deployment.provenance == str(FIXTURES / "shop-export.json") and deployment.sensitive == ()
    assert "managedFields" not in deployment.attributes["metadata"]
    assert list(deployment.attributes["metadata"]["annotations"]) == ["deployment.kubernetes.io/revision"]
    assert [source.template_key(t) for t in tmpl] == [
        "apps/Deployment/shop/api", "/Service/shop/api", "/ConfigMap/shop/api-config",
        "networking.k8s.io/NetworkPolicy/shop/api-allow-frontend", "/ServiceAccount/shop/api",
        "rbac.authorization.k8s.io/Role/shop/api-reader", "rbac.authorization.k8s.io/RoleBinding/shop/api-reader",
        "/Secret/shop/api-db",
    ]
    # a `view` export holds no Secret: the Secret template cannot be "missing"
    assert snapshot.inspected == {source.template_key(t) for t in tmpl} - {"/Secret/shop/api-db"}
    assert snapshot.properties["children_skipped"] == 1 and snapshot.diagnostics == []


def test_yaml_export_with_secrets_hpa_and_cluster_scoped_objects() -> None:
    source, tmpl, snapshot = load("cluster-export.yaml", "cluster-manifests.yaml")
    objects = {o.key: o for o in snapshot.objects}
    assert {k: o.default for k, o in objects.items()} == {
        "/ConfigMap/default/settings": False,
        "/Event/shop/web-6d4f8b7c9-x2kqp.17f3a2b1c0d9e8f7": True,
        "/Namespace//default": True,
        "/Namespace//shop": False,
        "/Pod/kube-system/kube-apiserver-control-plane": True,
        "/Secret/shop/api-db": False,
        "/Service/default/kubernetes": True,
        "apps/Deployment/shop/web": False,
        "autoscaling/HorizontalPodAutoscaler/shop/web": False,
        "rbac.authorization.k8s.io/ClusterRole//cluster-admin": True,
        "rbac.authorization.k8s.io/ClusterRole//system:controller:job-controller": True,
        "rbac.authorization.k8s.io/ClusterRole//view-all": False,
        # a system: name does not hide a new cluster-admin grant
        "rbac.authorization.k8s.io/ClusterRoleBinding//system:metrics-reader": False,
    }
    secret = objects["/Secret/shop/api-db"]
    assert secret.sensitive == (("data",), ("stringData",))
    assert "kubectl.kubernetes.io/last-applied-configuration" not in str(secret.attributes)  # it repeats the data in clear
    keys = [source.template_key(t) for t in tmpl]
    assert keys == ["apps/Deployment/shop/web", "/Secret/shop/api-db", "/ConfigMap/default/settings",
                    "rbac.authorization.k8s.io/ClusterRole//view-all", "networking.k8s.io/NetworkPolicy/payments/default-deny",
                    "storage.k8s.io/StorageClass//fast"]
    # payments appears nowhere in the export and no StorageClass was exported
    assert snapshot.inspected == set(keys) - {"networking.k8s.io/NetworkPolicy/payments/default-deny", "storage.k8s.io/StorageClass//fast"}
    assert drift_by_template(source, tmpl, snapshot) == {
        "apps/Deployment/shop/web": [],  # replicas 2 -> 7 by the HPA is not drift
        # stringData is stored base64-encoded in data: compared there, the values differ
        "/Secret/shop/api-db": [("changed", "data.DB_PASSWORD", "Y2hhbmdlLW1lLWluLXZhdWx0", "cHJvZC1wYXNzd29yZC0xMjM=")],
        "/ConfigMap/default/settings": [],  # the manifest has no namespace: it lands in default
        "rbac.authorization.k8s.io/ClusterRole//view-all": [],  # verbs and resources in another order
    }


def test_without_hpa_replicas_drift_is_reported() -> None:
    source = KubernetesSource()
    tmpl = [t for t in templates("cluster-manifests.yaml") if t.type == "Deployment"]
    snapshot = source.load(str(FIXTURES / "cluster-export.yaml"), tmpl)
    web = next(o for o in snapshot.objects if o.key == "apps/Deployment/shop/web")
    other = replace(web, key="apps/Deployment/shop/web2")  # no HPA targets this key
    assert [(c.kind, format_path(c.path), c.desired, c.live) for c in source.compare(tmpl[0], other)] == [
        ("changed", "spec.replicas", 2, 7)]


def test_policy_rules_judge_live_objects_like_manifests() -> None:
    source, tmpl, snapshot = load("shop-export.json", "shop-manifests.yaml")
    obj = next(o for o in snapshot.objects if o.key == "apps/Deployment/shop/api")
    manifest = next(t for t in tmpl if t.type == "Deployment")
    live = replace(manifest, format="live", attributes=obj.attributes)
    rules = {k: v for k, v in load_rules().items() if k in ("ZD-K8S-001", "ZD-K8S-002")}
    assert sorted(f.rule_id for f in run([manifest], rules).findings) == []
    assert sorted((f.rule_id, f.path) for f in run([live], rules).findings) == [
        ("ZD-K8S-001", "spec.template.spec.containers[0].securityContext.privileged"),
        ("ZD-K8S-002", "spec.template.spec.hostNetwork"),
    ]


@pytest.mark.parametrize("text,fragment", [
    ("{{{ not json", "invalid JSON"),
    ("key: [unclosed\n", "invalid YAML"),
    ("[1, 2, 3]", "not a Kubernetes export"),
    ("just a sentence\n", "not a Kubernetes export"),
    ('{"items": []}', "no apiVersion or kind"),
    ("apiVersion: v1\nkind: List\nitems: nope\n", "List.items is not a list"),
    ("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
     "g: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n", "alias bomb"),
])
def test_malformed_exports_are_clear_parse_errors(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "export.json"
    path.write_text(text)
    with pytest.raises(ParseError, match=fragment):
        KubernetesSource().load(str(path), [])


def test_junk_list_items_become_diagnostics_without_values(tmp_path: Path) -> None:
    path = tmp_path / "export.yaml"
    path.write_text(
        "apiVersion: v1\nkind: List\nitems:\n"
        "- hunter2-secret-string\n"
        "- {apiVersion: v1, kind: ConfigMap, metadata: {namespace: shop}}\n"
        "- {metadata: {name: nokind}}\n"
        "- {apiVersion: v1, kind: ConfigMap, metadata: {name: ok, namespace: shop}, data: {k: v}}\n"
        "- {apiVersion: v1, kind: ConfigMap, metadata: {name: ok, namespace: shop}, data: {k: other}}\n"
        "- null\n"
        "---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: second-doc, namespace: shop}\n"
    )
    snapshot = KubernetesSource().load(str(path), [])
    assert [o.key for o in snapshot.objects] == ["/ConfigMap/shop/ok", "/ConfigMap/shop/second-doc"]
    assert snapshot.objects[0].attributes["data"] == {"k": "v"}  # the first of two duplicates
    assert [(d.line, d.reason, d.level) for d in snapshot.diagnostics] == [
        (None, "duplicate object /ConfigMap/shop/ok: kept the first", "warning"),
        (4, "List item 0 skipped: not an object", "warning"),
        (5, "List item 1 skipped: no metadata.name", "warning"),
        (6, "List item 2 skipped: no apiVersion or kind", "warning"),
        (9, "List item 5 skipped: not an object", "warning"),
    ]
    assert "hunter2" not in " ".join(d.reason for d in snapshot.diagnostics)


def test_unreadable_live_paths_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="(?i)no such file"):
        KubernetesSource().load(str(tmp_path / "absent.json"), [])
    with pytest.raises(UsageError, match="is a directory"):
        KubernetesSource().load(str(tmp_path), [])
    binary = tmp_path / "export.bin"
    binary.write_bytes(b"\xff\xfe\x00garbage\x80")
    with pytest.raises(UsageError, match="binary file"):
        KubernetesSource().load(str(binary), [])


def test_single_object_and_empty_list_exports(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text('\ufeff{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "ci", "namespace": "build", "uid": "u-9"}}')
    snapshot = KubernetesSource().load(str(one), [])
    assert [(o.key, o.native_id, o.default) for o in snapshot.objects] == [("/ServiceAccount/build/ci", "u-9", False)]
    empty = tmp_path / "empty.json"
    empty.write_text('{"apiVersion": "v1", "kind": "List", "items": [], "metadata": {"resourceVersion": ""}}')
    assert KubernetesSource().load(str(empty), []).objects == []


def test_template_keys_for_non_objects_and_other_schemas() -> None:
    source = KubernetesSource()
    base = templates("cluster-manifests.yaml")[0]
    assert source.template_key(replace(base, attributes={"kind": "Deployment", "apiVersion": "apps/v1", "metadata": {}})) is None
    assert source.template_key(replace(base, attributes=["x"])) is None
    assert source.template_key(replace(base, schema="terraform")) is None
    crd = replace(base, attributes={"apiVersion": "cert-manager.io/v1", "kind": "Certificate", "metadata": {"name": "tls"}})
    assert source.template_key(crd) == "cert-manager.io/Certificate/default/tls"


def test_compare_without_template_uses_the_objects_own_desired() -> None:
    source = KubernetesSource()
    obj = LiveObject(source="kubernetes", schema="kubernetes", type="ConfigMap", key="/ConfigMap/default/c", address="/ConfigMap/default/c",
                     attributes={"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "default"}, "data": {"a": "2"}},
                     desired={"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"}})
    assert [(c.kind, format_path(c.path), c.desired, c.live) for c in source.compare(None, obj)] == [("changed", "data.a", "1", "2")]


@pytest.mark.parametrize("spec,want", [
    ("k8s://", (None, None)),
    ("k8s://kind-dev", ("kind-dev", None)),
    ("k8s://kind-dev/shop", ("kind-dev", "shop")),
    ("k8s://arn:aws:eks:eu-west-1:123456789012:cluster~prod/shop/", ("arn:aws:eks:eu-west-1:123456789012:cluster~prod", "shop")),
])
def test_api_targets(spec: str, want: tuple) -> None:
    assert parse_target(spec) == want


@pytest.mark.parametrize("spec", ["k8s://ctx/Not_A_Namespace", "k8s://ctx/shop/extra"])
def test_bad_api_targets_are_usage_errors(spec: str) -> None:
    with pytest.raises(UsageError):
        parse_target(spec)
