"""The live Kubernetes API reader (``scanner.drift.sources.kubernetes_api``)
against the fake read-only API server on 127.0.0.1 (``k8s_fake_api``), through
the real ``kubernetes`` client, a real kubeconfig and TLS."""
from __future__ import annotations

import http.client
import json
import os
import shutil
import ssl
import subprocess
import sys
from pathlib import Path

import pytest
from k8s_fake_api import TOKEN
from k8s_fake_api import fake_k8s_api  # noqa: F401  (pytest fixture)
from k8s_fake_api import recorded_objects
from k8s_fake_api import serve

from scanner.drift.sources.kubernetes_api import DEFAULT_KINDS
from scanner.drift.sources.kubernetes_api import MISSING_EXTRA
from scanner.drift.sources.kubernetes_api import fetch
from scanner.errors import UsageError

REPO = Path(__file__).resolve().parents[2]


def identity(obj: dict) -> tuple[str, str, str, str]:
    meta = obj["metadata"]
    return obj["apiVersion"], obj["kind"], meta.get("namespace", ""), meta["name"]


CLUSTER_SCOPED = [
    ("rbac.authorization.k8s.io/v1", "ClusterRole", "", "monitoring"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "", "ops-admins"),
    ("v1", "Namespace", "", "default"),
    ("v1", "Namespace", "", "kube-system"),
    ("v1", "Namespace", "", "payments"),
    ("v1", "Namespace", "", "shop"),
]
SHOP = [
    ("apps/v1", "Deployment", "shop", "web"),
    ("apps/v1", "StatefulSet", "shop", "redis"),
    ("autoscaling/v2", "HorizontalPodAutoscaler", "shop", "web"),
    ("networking.k8s.io/v1", "Ingress", "shop", "web"),
    ("networking.k8s.io/v1", "NetworkPolicy", "shop", "allow-web"),
    ("policy/v1", "PodDisruptionBudget", "shop", "web"),
    ("rbac.authorization.k8s.io/v1", "Role", "shop", "web-reader"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding", "shop", "web-reader"),
    ("v1", "ConfigMap", "shop", "kube-root-ca.crt"),
    ("v1", "ConfigMap", "shop", "web-config"),
    ("v1", "Pod", "shop", "debug-shell"),
    ("v1", "Pod", "shop", "web-6d5f8c7b9-x2x4q"),
    ("v1", "Secret", "shop", "web-tls"),
    ("v1", "Service", "shop", "web"),
    ("v1", "ServiceAccount", "shop", "default"),
    ("v1", "ServiceAccount", "shop", "web"),
]
OTHER_NAMESPACES = [
    ("apps/v1", "DaemonSet", "kube-system", "kube-proxy"),
    ("apps/v1", "Deployment", "kube-system", "coredns"),
    ("apps/v1", "Deployment", "payments", "payments-api"),
    ("batch/v1", "CronJob", "payments", "nightly-report"),
    ("batch/v1", "Job", "payments", "nightly-report-28620120"),
    ("networking.k8s.io/v1", "NetworkPolicy", "payments", "default-deny"),
    ("v1", "LimitRange", "payments", "container-defaults"),
    ("v1", "ResourceQuota", "payments", "compute"),
    ("v1", "Secret", "payments", "db-credentials"),
    ("v1", "Service", "payments", "payments-api"),
    ("v1", "ServiceAccount", "payments", "default"),
]


def group_of(api_version: str) -> str:
    return api_version.rpartition("/")[0]


def sort_key(ident: tuple[str, str, str, str]) -> tuple[str, str, str, str]:
    return group_of(ident[0]), ident[1], ident[2], ident[3]


def test_fetch_all_kinds_returns_every_object_raw_and_sorted(fake_k8s_api):
    result = fetch(None, None, fake_k8s_api.kubeconfig)

    expected = sorted(CLUSTER_SCOPED + SHOP + OTHER_NAMESPACES, key=sort_key)
    assert [identity(o) for o in result.objects] == expected
    assert result.kinds == list(DEFAULT_KINDS)
    assert result.not_inspected == []
    assert result.warnings == []
    assert result.provenance == f"k8s://zd-fake (server https://127.0.0.1:{fake_k8s_api.port})"
    # exactly what was recorded: nothing dropped, defaulted or converted on the way
    recorded = {identity(o): o for o in recorded_objects()}
    for obj in result.objects:
        assert obj == recorded[identity(obj)]


def test_raw_json_keeps_fields_the_typed_models_drop(fake_k8s_api):
    from kubernetes import client

    result = fetch("zd-fake", "shop", fake_k8s_api.kubeconfig)
    web = next(o for o in result.objects if identity(o) == ("apps/v1", "Deployment", "shop", "web"))
    # a field newer than the client: its typed model has no attribute for it
    assert "podReplacementPolicy" not in client.V1DeploymentSpec.attribute_map.values()
    assert web["spec"]["podReplacementPolicy"] == "TerminationStarted"
    assert "terminatingReplicas" in web["status"]
    # live-only security fields and server bookkeeping arrive untouched
    pod_spec = web["spec"]["template"]["spec"]
    assert pod_spec["hostNetwork"] is True
    assert pod_spec["containers"][0]["securityContext"]["privileged"] is True
    assert pod_spec["containers"][0]["env"] == [{"name": "DEBUG", "value": "true"}]
    assert [m["manager"] for m in web["metadata"]["managedFields"]] == ["kubectl-client-side-apply", "kubectl-edit"]
    assert web["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"


def test_namespace_scope_lists_namespaced_kinds_there_and_cluster_kinds_everywhere(fake_k8s_api):
    result = fetch(None, "shop", fake_k8s_api.kubeconfig)

    assert [identity(o) for o in result.objects] == sorted(CLUSTER_SCOPED + SHOP, key=sort_key)
    assert result.provenance == f"k8s://zd-fake/shop (server https://127.0.0.1:{fake_k8s_api.port})"
    paths = [path for _, path in fake_k8s_api.requests]
    assert "/api/v1/namespaces/shop/configmaps?limit=500" in paths
    assert "/apis/apps/v1/namespaces/shop/deployments?limit=500" in paths
    assert "/apis/rbac.authorization.k8s.io/v1/clusterroles?limit=500" in paths
    assert "/api/v1/namespaces?limit=500" in paths
    assert "/api/v1/configmaps?limit=500" not in paths


def test_discovery_uses_the_preferred_version_and_skips_subresources(fake_k8s_api):
    result = fetch(None, None, fake_k8s_api.kubeconfig,
                   kinds=(("autoscaling", "HorizontalPodAutoscaler"), ("apps", "Deployment")))

    assert result.kinds == [("autoscaling", "HorizontalPodAutoscaler"), ("apps", "Deployment")]
    assert fake_k8s_api.requests == [
        ("GET", "/apis"),
        ("GET", "/apis/autoscaling/v2"),
        ("GET", "/apis/autoscaling/v2/horizontalpodautoscalers?limit=500"),
        ("GET", "/apis/apps/v1"),
        ("GET", "/apis/apps/v1/deployments?limit=500"),
    ]


def test_list_items_get_apiversion_and_kind_filled_in(fake_k8s_api):
    widget = {"apiVersion": "example.com/v1alpha1", "kind": "Widget",
              "metadata": {"name": "w1", "namespace": "shop", "uid": "11111111-2222-4333-8444-555555555555"},
              "spec": {"exposed": True}}
    fake_k8s_api.set_objects([widget])

    result = fetch(None, None, fake_k8s_api.kubeconfig, kinds=(("example.com", "Widget"),))

    assert result.objects == [widget]
    assert result.kinds == [("example.com", "Widget")]
    # the server sent the item without them, as kube-apiserver does
    assert ("GET", "/apis/example.com/v1alpha1/widgets?limit=500") in fake_k8s_api.requests


def test_pagination_follows_continue_tokens_across_pages(fake_k8s_api):
    maps = [{"apiVersion": "v1", "kind": "ConfigMap",
             "metadata": {"name": f"cm-{i:04d}", "namespace": "bulk", "resourceVersion": str(5000 + i)},
             "data": {"index": str(i)}} for i in range(1203)]
    fake_k8s_api.set_objects(maps)

    result = fetch(None, None, fake_k8s_api.kubeconfig, kinds=(("", "ConfigMap"),))

    assert [o["metadata"]["name"] for o in result.objects] == [f"cm-{i:04d}" for i in range(1203)]
    assert result.objects[1202]["data"] == {"index": "1202"}
    pages = [path for _, path in fake_k8s_api.requests if path.startswith("/api/v1/configmaps")]
    assert len(pages) == 3
    assert pages[0] == "/api/v1/configmaps?limit=500"
    assert all(p.startswith("/api/v1/configmaps?limit=500&continue=") for p in pages[1:])


def test_pagination_when_the_server_returns_short_pages(fake_k8s_api):
    fake_k8s_api.page_size = 2  # a server may return fewer items than the limit

    result = fetch(None, None, fake_k8s_api.kubeconfig, kinds=(("", "Namespace"),))

    assert [o["metadata"]["name"] for o in result.objects] == ["default", "kube-system", "payments", "shop"]
    pages = [path for _, path in fake_k8s_api.requests if path.startswith("/api/v1/namespaces")]
    assert len(pages) == 2 and "continue=" in pages[1]


def test_forbidden_secrets_are_not_inspected_not_an_error(fake_k8s_api):
    fake_k8s_api.forbid("", "secrets")

    result = fetch(None, "payments", fake_k8s_api.kubeconfig)

    assert result.not_inspected == [("", "Secret")]
    assert ("", "Secret") not in result.kinds
    assert result.warnings == ["Secret: forbidden (403) for this user in namespace payments; not inspected"]
    kinds = {o["kind"] for o in result.objects}
    assert "Secret" not in kinds
    assert ("apps/v1", "Deployment", "payments", "payments-api") in [identity(o) for o in result.objects]
    assert ("GET", "/api/v1/namespaces/payments/secrets?limit=500") in fake_k8s_api.requests


def test_a_server_error_on_one_kind_leaves_the_rest(fake_k8s_api):
    fake_k8s_api.fail("rbac.authorization.k8s.io", "rolebindings", 500)

    result = fetch(None, None, fake_k8s_api.kubeconfig)

    assert result.not_inspected == [("rbac.authorization.k8s.io", "RoleBinding")]
    assert result.warnings == ["rbac.authorization.k8s.io/RoleBinding: listing failed "
                               "(500 Internal Server Error); not inspected"]
    assert ("rbac.authorization.k8s.io/v1", "Role", "shop", "web-reader") in [identity(o) for o in result.objects]


def test_kinds_the_server_does_not_serve_are_skipped_with_a_warning(fake_k8s_api):
    fake_k8s_api.unserve("policy", "poddisruptionbudgets")

    result = fetch(None, None, fake_k8s_api.kubeconfig,
                   kinds=(("policy", "PodDisruptionBudget"), ("example.com", "Widget"), ("", "Namespace")))

    assert result.kinds == [("", "Namespace")]
    assert result.not_inspected == []
    assert result.warnings == ["policy/PodDisruptionBudget: not served by the API server; skipped",
                               "example.com/Widget: not served by the API server; skipped"]


def test_call_budget_stops_with_partial_results(fake_k8s_api):
    # /api, /apis, /api/v1, then one page per core kind
    result = fetch(None, None, fake_k8s_api.kubeconfig, max_calls=5,
                   kinds=(("", "Namespace"), ("", "ConfigMap"), ("", "Service"), ("apps", "Deployment")))

    assert result.kinds == [("", "Namespace"), ("", "ConfigMap")]
    assert result.not_inspected == [("", "Service"), ("apps", "Deployment")]
    assert result.warnings == ["the call budget ran out at Service; it and the kinds after it were not inspected"]
    assert len(fake_k8s_api.requests) == 5


def test_only_get_requests_reach_the_server(fake_k8s_api):
    fetch(None, None, fake_k8s_api.kubeconfig)
    fetch(None, "shop", fake_k8s_api.kubeconfig)
    assert len(fake_k8s_api.requests) > 40
    assert fake_k8s_api.non_get_requests() == []
    assert {method for method, _ in fake_k8s_api.requests} == {"GET"}

    # the fake does record (and refuse) anything else, so the check above has teeth
    context = ssl.create_default_context(cadata=fake_k8s_api.ca_pem.decode())
    conn = http.client.HTTPSConnection("127.0.0.1", fake_k8s_api.port, context=context, timeout=5)
    conn.request("DELETE", "/api/v1/namespaces/shop", headers={"Authorization": f"Bearer {TOKEN}"})
    response = conn.getresponse()
    assert response.status == 405
    assert json.loads(response.read())["reason"] == "MethodNotAllowed"
    conn.close()
    assert fake_k8s_api.non_get_requests() == [("DELETE", "/api/v1/namespaces/shop")]


def test_wrong_token_is_a_clean_usage_error(fake_k8s_api, tmp_path):
    bad = fake_k8s_api.write_kubeconfig(tmp_path / "bad-token", token="not-the-token-6f1e2d")

    with pytest.raises(UsageError) as caught:
        fetch(None, None, bad)

    message = str(caught.value)
    assert message == (f"live Kubernetes: the API server of context 'zd-fake' "
                       f"(https://127.0.0.1:{fake_k8s_api.port}) rejected the credentials (401 Unauthorized)")
    assert "not-the-token" not in message and "\n" not in message
    assert caught.value.__cause__ is None and caught.value.__context__ is None  # no chained traceback
    assert fake_k8s_api.requests == [("GET", "/api")]


def test_connection_refused_is_a_clean_usage_error(fake_k8s_api, tmp_path, capfd):
    port = fake_k8s_api.port
    kubeconfig = fake_k8s_api.write_kubeconfig(tmp_path / "stopped")
    fake_k8s_api.stop()

    with pytest.raises(UsageError) as caught:
        fetch("zd-fake", None, kubeconfig)

    assert str(caught.value) == (f"live Kubernetes: cannot reach the API server of context 'zd-fake' "
                                 f"(https://127.0.0.1:{port}): connection refused")
    out, err = capfd.readouterr()
    assert out == "" and err == ""  # the client's retry warnings stay silent


def test_unknown_context_names_the_context(fake_k8s_api):
    with pytest.raises(UsageError) as caught:
        fetch("prod-eu", None, fake_k8s_api.kubeconfig)
    assert str(caught.value) == "live Kubernetes: context 'prod-eu' is not in the kubeconfig (contexts: zd-fake)"


def test_kubeconfig_from_the_environment(fake_k8s_api, tmp_path, monkeypatch):
    other = fake_k8s_api.write_kubeconfig(tmp_path / "other", context="staging")
    monkeypatch.setenv("KUBECONFIG", os.pathsep.join([str(tmp_path / "absent"), fake_k8s_api.kubeconfig, other]))

    result = fetch("staging", "shop", kinds=(("", "ServiceAccount"),))

    assert [identity(o) for o in result.objects] == [("v1", "ServiceAccount", "shop", "default"),
                                                     ("v1", "ServiceAccount", "shop", "web")]
    assert result.provenance.startswith("k8s://staging/shop (server https://127.0.0.1:")


def test_no_kubeconfig_at_all(tmp_path, monkeypatch):
    monkeypatch.delenv("KUBECONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(UsageError) as caught:
        fetch(None, None)
    assert str(caught.value) == "live Kubernetes: no kubeconfig found (set KUBECONFIG or create ~/.kube/config)"

    with pytest.raises(UsageError) as caught:
        fetch(None, None, str(tmp_path / "missing.yaml"))
    assert str(caught.value) == f"live Kubernetes: kubeconfig not found: {tmp_path / 'missing.yaml'}"


def test_kubeconfig_without_current_context(fake_k8s_api, tmp_path):
    config = json.loads(Path(fake_k8s_api.kubeconfig).read_text())
    del config["current-context"]
    path = tmp_path / "no-current"
    path.write_text(json.dumps(config))
    with pytest.raises(UsageError) as caught:
        fetch(None, None, str(path))
    assert str(caught.value) == "live Kubernetes: the kubeconfig has no current-context; name one: k8s://CONTEXT"
    assert fetch("zd-fake", None, str(path), kinds=(("", "Namespace"),)).kinds == [("", "Namespace")]


def test_hostile_or_broken_kubeconfig_never_leaks_its_content(tmp_path):
    bomb = tmp_path / "bomb"
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdef", "bcdefg"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    bomb.write_text("\n".join(lines) + "\n")
    with pytest.raises(UsageError) as caught:
        fetch(None, None, str(bomb))
    assert str(caught.value).startswith(f"live Kubernetes: kubeconfig {bomb} is not valid YAML (line ")
    assert "alias bomb" in str(caught.value)

    broken = tmp_path / "broken"
    broken.write_text("users:\n- name: admin\n  user: {token: s3cr3t-token-value\n")
    with pytest.raises(UsageError) as caught:
        fetch(None, None, str(broken))
    assert str(caught.value) == f"live Kubernetes: kubeconfig {broken} is not valid YAML (line 4)"

    listing = tmp_path / "list"
    listing.write_text("- a\n- b\n")
    with pytest.raises(UsageError) as caught:
        fetch(None, None, str(listing))
    assert str(caught.value) == f"live Kubernetes: kubeconfig {listing} is not a kubeconfig mapping"


def test_invalid_namespace_is_refused_before_any_request(fake_k8s_api):
    with pytest.raises(UsageError) as caught:
        fetch(None, "../../apis", fake_k8s_api.kubeconfig)
    assert str(caught.value) == ("live Kubernetes: the namespace in k8s://CONTEXT/NAMESPACE "
                                 "is not a valid namespace name")
    assert fake_k8s_api.requests == []


def test_missing_extra_is_a_usage_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "kubernetes", None)  # import kubernetes -> ImportError
    with pytest.raises(UsageError) as caught:
        fetch("any", None)
    assert str(caught.value) == MISSING_EXTRA == \
        "live Kubernetes needs the optional extra: pip install 'zerodrift[k8s]'"


def test_kubectl_gets_the_same_objects_from_the_fake_server(fake_k8s_api, tmp_path):
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not on PATH")
    env = {**os.environ, "HOME": str(tmp_path)}
    env.pop("KUBECONFIG", None)
    done = subprocess.run([kubectl, "--kubeconfig", fake_k8s_api.kubeconfig, "--cache-dir", str(tmp_path / "cache"),
                           "get", "deploy", "-A", "-o", "json", "--show-managed-fields"],
                          capture_output=True, text=True, timeout=60, env=env, check=False)
    assert done.returncode == 0, done.stderr[-500:]
    from_kubectl = json.loads(done.stdout)["items"]

    result = fetch(None, None, fake_k8s_api.kubeconfig, kinds=(("apps", "Deployment"),))

    assert [identity(o) for o in from_kubectl] == [("apps/v1", "Deployment", "kube-system", "coredns"),
                                                   ("apps/v1", "Deployment", "payments", "payments-api"),
                                                   ("apps/v1", "Deployment", "shop", "web")]
    assert from_kubectl == result.objects
    assert fake_k8s_api.non_get_requests() == []


@pytest.mark.slow
def test_serve_works_without_pytest_for_a_subprocess(tmp_path):
    script = ("import json\n"
              "from scanner.drift.sources.kubernetes_api import fetch\n"
              "r = fetch(None, 'payments')\n"
              "print(json.dumps({'ids': [[o['kind'], o['metadata']['name']] for o in r.objects if o['metadata'].get('namespace')],"
              " 'not_inspected': r.not_inspected, 'provenance': r.provenance}))\n")
    with serve(recorded_objects(), forbidden=[("", "secrets")], directory=tmp_path) as api:
        env = {**os.environ, "KUBECONFIG": api.kubeconfig, "PYTHONPATH": str(REPO)}
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                              env=env, cwd=tmp_path, check=False)
        port = api.port
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stderr == ""
    out = json.loads(done.stdout)
    assert out["not_inspected"] == [["", "Secret"]]
    assert out["provenance"] == f"k8s://zd-fake/payments (server https://127.0.0.1:{port})"
    assert out["ids"] == [["LimitRange", "container-defaults"],
                          ["ResourceQuota", "compute"], ["Service", "payments-api"], ["ServiceAccount", "default"],
                          ["Deployment", "payments-api"], ["CronJob", "nightly-report"],
                          ["Job", "nightly-report-28620120"], ["NetworkPolicy", "default-deny"]]



def test_a_broken_or_hostile_list_answer_is_not_inspected(fake_k8s_api):
    fake_k8s_api.answer_raw("", "configmaps", b"[" * 200_000 + b"]" * 200_000)  # nesting past the recursion limit
    fake_k8s_api.answer_raw("", "services", b"<html>proxy error</html>")
    fake_k8s_api.answer_raw("", "pods", json.dumps({"kind": "Status", "status": "Success"}).encode())

    result = fetch(None, None, fake_k8s_api.kubeconfig,
                   kinds=(("", "ConfigMap"), ("", "Service"), ("", "Pod"), ("", "Namespace")))

    assert result.kinds == [("", "Namespace")]
    assert result.not_inspected == [("", "ConfigMap"), ("", "Service"), ("", "Pod")]
    assert result.warnings == [f"{kind}: listing failed (the answer is not a JSON object list); not inspected"
                               for kind in ("ConfigMap", "Service", "Pod")]


def test_insecure_skip_tls_verify_works_without_python_warnings(fake_k8s_api, tmp_path):
    import warnings

    config = json.loads(Path(fake_k8s_api.kubeconfig).read_text())
    config["clusters"][0]["cluster"] = {"server": fake_k8s_api.url, "insecure-skip-tls-verify": True}
    path = tmp_path / "insecure"
    path.write_text(json.dumps(config))

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fetch(None, None, str(path), kinds=(("", "Namespace"),))

    assert [o["metadata"]["name"] for o in result.objects] == ["default", "kube-system", "payments", "shop"]
    assert [str(w.message) for w in caught] == []  # no InsecureRequestWarning


def test_an_untrusted_server_certificate_is_a_tls_usage_error(fake_k8s_api, tmp_path):
    config = json.loads(Path(fake_k8s_api.kubeconfig).read_text())
    config["clusters"][0]["cluster"] = {"server": fake_k8s_api.url}  # no certificate-authority: system CAs only
    path = tmp_path / "no-ca"
    path.write_text(json.dumps(config))

    with pytest.raises(UsageError) as caught:
        fetch(None, None, str(path))

    assert str(caught.value) == (f"live Kubernetes: cannot reach the API server of context 'zd-fake' "
                                 f"({fake_k8s_api.url}): TLS error (check the cluster's certificate-authority)")
    assert fake_k8s_api.requests == []
