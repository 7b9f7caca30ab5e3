"""The Kubernetes normalizer, kind by kind: every default of the table is
pruned when the manifest leaves the field out and reported when the manifest
sets another value; quantities, intOrString, merge keys, RBAC multisets and
NetworkPolicy emptiness (shared/docs/drift.md sections 5.2-5.5)."""
from __future__ import annotations

import copy
from typing import Any

import pytest

from scanner.drift.compare import diff
from scanner.drift.normalize.kubernetes import DIFF_SPEC
from scanner.drift.normalize.kubernetes import Bookkeeping
from scanner.drift.normalize.kubernetes import image_pull_policy
from scanner.drift.normalize.kubernetes import load_defaults
from scanner.drift.normalize.kubernetes import normalize_desired
from scanner.drift.normalize.kubernetes import normalize_live
from scanner.drift.normalize.kubernetes import quantity
from scanner.drift.normalize.kubernetes import split_path
from scanner.model import format_path

POD = ("spec", "template", "spec")
C = POD + ("containers", 0)
CN = "spec.template.spec.containers[name=web]"

DEPLOYMENT = {
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "shop"},
    "spec": {
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {
                "containers": [{
                    "name": "web", "image": "nginx:1.25",
                    "ports": [{"containerPort": 8080}],
                    "env": [{"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}],
                    "livenessProbe": {"httpGet": {"port": 8080}},
                }],
                "volumes": [
                    {"name": "cfg", "configMap": {"name": "web"}},
                    {"name": "sec", "secret": {"secretName": "web"}},
                    {"name": "proj", "projected": {"sources": [{"configMap": {"name": "web"}}]}},
                    {"name": "dapi", "downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}},
                    {"name": "host", "hostPath": {"path": "/var/log"}},
                ],
            },
        },
    },
}
SERVICE = {
    "apiVersion": "v1", "kind": "Service",
    "metadata": {"name": "web", "namespace": "shop"},
    "spec": {"selector": {"app": "web"}, "ports": [{"name": "http", "port": 80, "protocol": "TCP"}]},
}
NETPOL = {
    "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
    "metadata": {"name": "web", "namespace": "shop"},
    "spec": {"podSelector": {"matchLabels": {"app": "web"}},
             "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "lb"}}}]}]},
}
ROLEBINDING = {
    "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
    "metadata": {"name": "web", "namespace": "shop"},
    "roleRef": {"kind": "Role", "name": "web"},
    "subjects": [{"kind": "ServiceAccount", "name": "web", "namespace": "shop"}],
}
STATEFULSET = {
    "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db", "namespace": "shop"},
    "spec": {"serviceName": "db", "selector": {"matchLabels": {"app": "db"}},
             "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [{"name": "db", "image": "postgres:16"}]}}},
}
DAEMONSET = {
    "apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent", "namespace": "shop"},
    "spec": {"selector": {"matchLabels": {"app": "agent"}},
             "template": {"metadata": {"labels": {"app": "agent"}}, "spec": {"containers": [{"name": "agent", "image": "agent:2"}]}}},
}
CRONJOB = {
    "apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "backup", "namespace": "shop"},
    "spec": {"schedule": "0 3 * * *", "jobTemplate": {"spec": {"template": {"spec": {
        "restartPolicy": "OnFailure", "containers": [{"name": "backup", "image": "backup:1.0"}]}}}}},
}
NAMESPACE = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}
BASES = {"Deployment": DEPLOYMENT, "Service": SERVICE, "NetworkPolicy": NETPOL, "RoleBinding": ROLEBINDING,
         "ClusterRoleBinding": {**ROLEBINDING, "kind": "ClusterRoleBinding", "metadata": {"name": "web"}},
         "StatefulSet": STATEFULSET, "DaemonSet": DAEMONSET, "CronJob": CRONJOB, "Namespace": NAMESPACE}


def put(obj: Any, path: tuple, value: Any) -> None:
    for part in path[:-1]:
        obj = obj[part] if isinstance(part, int) else obj.setdefault(part, {})
    obj[path[-1]] = value


def changes(desired: dict, live: dict, **kw: Any) -> list[tuple]:
    want = normalize_desired(desired, ignore_replicas=kw.get("ignore_replicas", False), bookkeeping=kw.get("bookkeeping"))
    have = normalize_live(live, desired, **kw)
    return [(c.kind, format_path(c.path), c.desired, c.live) for c in diff(want, have, DIFF_SPEC)]


# (kind, where the server writes the default, the default, another value a
# manifest may set (None: the field has no meaningful other value), reported path)
CASES = [
    ("Deployment", ("spec", "replicas"), 1, 3, "spec.replicas"),
    ("Deployment", ("spec", "revisionHistoryLimit"), 10, 5, "spec.revisionHistoryLimit"),
    ("Deployment", ("spec", "progressDeadlineSeconds"), 600, 120, "spec.progressDeadlineSeconds"),
    ("Deployment", ("spec", "strategy", "type"), "RollingUpdate", "Recreate", "spec.strategy.type"),
    ("Deployment", ("spec", "strategy", "rollingUpdate", "maxSurge"), "25%", 1, "spec.strategy.rollingUpdate.maxSurge"),
    ("Deployment", ("spec", "strategy", "rollingUpdate", "maxUnavailable"), "25%", "50%", "spec.strategy.rollingUpdate.maxUnavailable"),
    ("Deployment", ("spec", "template", "metadata", "creationTimestamp"), None, None, ""),
    ("Deployment", POD + ("dnsPolicy",), "ClusterFirst", "Default", "spec.template.spec.dnsPolicy"),
    ("Deployment", POD + ("restartPolicy",), "Always", "OnFailure", "spec.template.spec.restartPolicy"),
    ("Deployment", POD + ("schedulerName",), "default-scheduler", "batch-scheduler", "spec.template.spec.schedulerName"),
    ("Deployment", POD + ("securityContext",), {}, None, ""),
    ("Deployment", POD + ("terminationGracePeriodSeconds",), 30, 60, "spec.template.spec.terminationGracePeriodSeconds"),
    ("Deployment", C + ("imagePullPolicy",), "IfNotPresent", "Always", f"{CN}.imagePullPolicy"),
    ("Deployment", C + ("terminationMessagePath",), "/dev/termination-log", "/tmp/log", f"{CN}.terminationMessagePath"),
    ("Deployment", C + ("terminationMessagePolicy",), "File", "FallbackToLogsOnError", f"{CN}.terminationMessagePolicy"),
    ("Deployment", C + ("resources",), {}, None, ""),
    ("Deployment", C + ("env", 0, "valueFrom", "fieldRef", "apiVersion"), "v1", "v2",
     f"{CN}.env[name=NODE].valueFrom.fieldRef.apiVersion"),
    ("Deployment", C + ("livenessProbe", "timeoutSeconds"), 1, 5, f"{CN}.livenessProbe.timeoutSeconds"),
    ("Deployment", C + ("livenessProbe", "periodSeconds"), 10, 20, f"{CN}.livenessProbe.periodSeconds"),
    ("Deployment", C + ("livenessProbe", "successThreshold"), 1, 2, f"{CN}.livenessProbe.successThreshold"),
    ("Deployment", C + ("livenessProbe", "failureThreshold"), 3, 6, f"{CN}.livenessProbe.failureThreshold"),
    ("Deployment", C + ("livenessProbe", "httpGet", "path"), "/", "/live", f"{CN}.livenessProbe.httpGet.path"),
    ("Deployment", C + ("livenessProbe", "httpGet", "scheme"), "HTTP", "HTTPS", f"{CN}.livenessProbe.httpGet.scheme"),
    ("Deployment", POD + ("volumes", 0, "configMap", "defaultMode"), 420, 256, "spec.template.spec.volumes[name=cfg].configMap.defaultMode"),
    ("Deployment", POD + ("volumes", 1, "secret", "defaultMode"), 420, 256, "spec.template.spec.volumes[name=sec].secret.defaultMode"),
    ("Deployment", POD + ("volumes", 2, "projected", "defaultMode"), 420, 256, "spec.template.spec.volumes[name=proj].projected.defaultMode"),
    ("Deployment", POD + ("volumes", 3, "downwardAPI", "defaultMode"), 420, 256, "spec.template.spec.volumes[name=dapi].downwardAPI.defaultMode"),
    ("StatefulSet", ("spec", "podManagementPolicy"), "OrderedReady", "Parallel", "spec.podManagementPolicy"),
    ("StatefulSet", ("spec", "updateStrategy", "rollingUpdate", "partition"), 0, 2, "spec.updateStrategy.rollingUpdate.partition"),
    ("StatefulSet", ("spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted"), "Retain", "Delete",
     "spec.persistentVolumeClaimRetentionPolicy.whenDeleted"),
    ("DaemonSet", ("spec", "updateStrategy", "rollingUpdate", "maxUnavailable"), 1, "10%", "spec.updateStrategy.rollingUpdate.maxUnavailable"),
    ("CronJob", ("spec", "concurrencyPolicy"), "Allow", "Forbid", "spec.concurrencyPolicy"),
    ("CronJob", ("spec", "successfulJobsHistoryLimit"), 3, 1, "spec.successfulJobsHistoryLimit"),
    ("CronJob", ("spec", "jobTemplate", "spec", "backoffLimit"), 6, 2, "spec.jobTemplate.spec.backoffLimit"),
    ("CronJob", ("spec", "jobTemplate", "spec", "template", "spec", "terminationGracePeriodSeconds"), 30, 5,
     "spec.jobTemplate.spec.template.spec.terminationGracePeriodSeconds"),
    ("Service", ("spec", "type"), "ClusterIP", "NodePort", "spec.type"),
    ("Service", ("spec", "sessionAffinity"), "None", "ClientIP", "spec.sessionAffinity"),
    ("Service", ("spec", "internalTrafficPolicy"), "Cluster", "Local", "spec.internalTrafficPolicy"),
    ("Service", ("spec", "externalTrafficPolicy"), "Cluster", "Local", "spec.externalTrafficPolicy"),
    ("Service", ("spec", "allocateLoadBalancerNodePorts"), True, False, "spec.allocateLoadBalancerNodePorts"),
    ("Service", ("spec", "ipFamilyPolicy"), "SingleStack", "PreferDualStack", "spec.ipFamilyPolicy"),
    ("Service", ("spec", "clusterIP"), "10.96.12.7", "10.96.12.99", "spec.clusterIP"),
    ("Service", ("spec", "clusterIPs"), ["10.96.12.7"], ["10.96.12.99"], "spec.clusterIPs[0]"),
    ("Service", ("spec", "ipFamilies"), ["IPv4"], ["IPv6"], "spec.ipFamilies[0]"),
    ("Service", ("spec", "healthCheckNodePort"), 31204, 31205, "spec.healthCheckNodePort"),
    ("Service", ("spec", "ports", 0, "nodePort"), 30080, 30081, "spec.ports[port=80,protocol=TCP].nodePort"),
    ("Service", ("spec", "ports", 0, "targetPort"), 80, 8080, "spec.ports[port=80,protocol=TCP].targetPort"),
    ("RoleBinding", ("roleRef", "apiGroup"), "rbac.authorization.k8s.io", "example.io", "roleRef.apiGroup"),
    ("ClusterRoleBinding", ("roleRef", "apiGroup"), "rbac.authorization.k8s.io", "example.io", "roleRef.apiGroup"),
    ("Namespace", ("spec", "finalizers"), ["kubernetes"], ["example.io/guard"], "spec.finalizers[0]"),
    ("Namespace", ("metadata", "labels", "kubernetes.io/metadata.name"), "shop", "other",
     'metadata.labels["kubernetes.io/metadata.name"]'),
]


@pytest.mark.parametrize("kind,where,default,other,shown", CASES, ids=[f"{c[0]}:{'.'.join(map(str, c[1]))}" for c in CASES])
def test_default_pruned_where_the_manifest_is_silent_and_reported_where_it_differs(kind, where, default, other, shown) -> None:
    manifest = copy.deepcopy(BASES[kind])
    live = copy.deepcopy(manifest)
    put(live, where, copy.deepcopy(default))
    pruned: list[tuple] = []
    assert changes(manifest, live, pruned=pruned) == []
    assert where in pruned
    if other is None:
        return
    put(manifest, where, other)
    got = changes(manifest, live)
    if isinstance(other, list):
        assert got == [("changed", shown, other[0], default[0])]
    else:
        assert got == [("changed", shown, other, default)]


def test_a_live_value_other_than_the_default_is_drift_even_where_the_manifest_is_silent() -> None:
    live = copy.deepcopy(DEPLOYMENT)
    put(live, ("spec", "revisionHistoryLimit"), 0)
    put(live, C + ("livenessProbe", "failureThreshold"), 30)
    put(live, POD + ("volumes", 1, "secret", "defaultMode"), 511)
    assert changes(DEPLOYMENT, live) == [
        ("added_in_live", "spec.revisionHistoryLimit", None, 0),
        ("added_in_live", f"{CN}.livenessProbe.failureThreshold", None, 30),
        ("added_in_live", "spec.template.spec.volumes[name=sec].secret.defaultMode", None, 511),
    ]


@pytest.mark.parametrize("image,policy", [
    ("nginx", "Always"), ("nginx:latest", "Always"), ("registry:5000/team/app", "Always"),
    ("registry:5000/team/app:2.1", "IfNotPresent"), ("nginx@sha256:" + "a" * 64, "IfNotPresent"), ("nginx:1.25", "IfNotPresent"),
])
def test_image_pull_policy_default_follows_the_tag(image: str, policy: str) -> None:
    assert image_pull_policy(image) == policy
    manifest = copy.deepcopy(DEPLOYMENT)
    put(manifest, C + ("image",), image)
    live = copy.deepcopy(manifest)
    put(live, C + ("imagePullPolicy",), policy)
    assert changes(manifest, live) == []
    other = "Never"
    put(live, C + ("imagePullPolicy",), other)
    assert changes(manifest, live) == [("added_in_live", f"{CN}.imagePullPolicy", None, "Never")]


def test_protocol_defaults_tcp_in_container_and_service_ports() -> None:
    live = copy.deepcopy(DEPLOYMENT)
    put(live, C + ("ports", 0, "protocol"), "TCP")
    pruned: list[tuple] = []
    assert changes(DEPLOYMENT, live, pruned=pruned) == []
    assert C + ("ports", 0, "protocol") in pruned
    put(live, C + ("ports", 0, "protocol"), "UDP")  # another protocol is another port
    assert changes(DEPLOYMENT, live) == [
        ("removed_in_live", f"{CN}.ports[containerPort=8080]", {"containerPort": 8080}, None),
        ("added_in_live", f"{CN}.ports[containerPort=8080,protocol=UDP]", None, {"containerPort": 8080, "protocol": "UDP"}),
    ]
    manifest = copy.deepcopy(SERVICE)
    del manifest["spec"]["ports"][0]["protocol"]
    assert changes(manifest, copy.deepcopy(SERVICE)) == []


def test_hostpath_type_empty_string_is_the_default() -> None:
    live = copy.deepcopy(DEPLOYMENT)
    put(live, POD + ("volumes", 4, "hostPath", "type"), "")
    assert changes(DEPLOYMENT, live) == []
    put(live, POD + ("volumes", 4, "hostPath", "type"), "Socket")
    assert changes(DEPLOYMENT, live) == [("added_in_live", "spec.template.spec.volumes[name=host].hostPath.type", None, "Socket")]


def test_service_account_mirror_and_pod_level_defaults() -> None:
    manifest = copy.deepcopy(DEPLOYMENT)
    put(manifest, POD + ("serviceAccountName",), "web")
    live = copy.deepcopy(manifest)
    put(live, POD + ("serviceAccount",), "web")
    assert changes(manifest, live) == []
    put(live, POD + ("serviceAccount",), "admin")
    assert changes(manifest, live) == [("added_in_live", "spec.template.spec.serviceAccount", None, "admin")]


def test_network_policy_policy_types_follow_egress() -> None:
    live = copy.deepcopy(NETPOL)
    put(live, ("spec", "policyTypes"), ["Ingress"])
    assert changes(NETPOL, live) == []
    manifest = copy.deepcopy(NETPOL)
    put(manifest, ("spec", "egress"), [{"to": [{"ipBlock": {"cidr": "10.0.0.0/8"}}]}])
    live = copy.deepcopy(manifest)
    put(live, ("spec", "policyTypes"), ["Ingress", "Egress"])
    assert changes(manifest, live) == []
    put(live, ("spec", "policyTypes"), ["Ingress"])  # egress rules present but not enforced
    assert changes(manifest, live) == [("added_in_live", "spec.policyTypes", None, ["Ingress"])]
    put(manifest, ("spec", "policyTypes"), ["Egress", "Ingress"])
    put(live, ("spec", "policyTypes"), ["Ingress", "Egress"])
    assert changes(manifest, live) == []
    put(live, ("spec", "policyTypes"), ["Ingress"])
    assert changes(manifest, live) == [("removed_in_live", "spec.policyTypes", "Egress", None)]


def test_service_account_token_secret_only_before_1_24() -> None:
    manifest = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "api", "namespace": "shop"},
                "imagePullSecrets": [{"name": "regcred"}]}
    live = copy.deepcopy(manifest)
    live["secrets"] = [{"name": "api-token-x7k2p"}]
    assert changes(manifest, live, version="1.23") == []
    assert changes(manifest, live, version="1.29") == [("added_in_live", "secrets", None, [{"name": "api-token-x7k2p"}])]
    live["secrets"].append({"name": "stolen-admin-token"})  # not the token controller's: drift on any version
    assert changes(manifest, live, version="1.23") == [("added_in_live", "secrets", None, [{"name": "stolen-admin-token"}])]


def test_defaults_table_is_keyed_by_version() -> None:
    live = copy.deepcopy(SERVICE)
    put(live, ("spec", "ipFamilyPolicy"), "SingleStack")
    assert changes(SERVICE, live, version="1.19") == [("added_in_live", "spec.ipFamilyPolicy", None, "SingleStack")]
    assert changes(SERVICE, live, version="v1.20.4") == []
    assert changes(SERVICE, live) == []  # version unknown: every range
    assert "ServiceAccount" in load_defaults("1.23").kinds and "ServiceAccount" not in load_defaults("1.24").kinds


def test_pod_template_creation_timestamp_and_restarted_at() -> None:
    live = copy.deepcopy(DEPLOYMENT)
    put(live, ("spec", "template", "metadata", "creationTimestamp"), None)
    put(live, ("spec", "template", "metadata", "annotations"), {"kubectl.kubernetes.io/restartedAt": "2025-05-02T09:14:07Z"})
    assert changes(DEPLOYMENT, live) == [
        ("added_in_live", 'spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]', None, "2025-05-02T09:14:07Z"),
    ]


# -------------------------------------------------------------- layer 1


def test_server_owned_fields_and_bookkeeping_are_dropped() -> None:
    manifest = {"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": "c", "namespace": "shop", "labels": {"app.kubernetes.io/managed-by": "Helm", "team": "a"},
                             "finalizers": ["example.io/keep"]},
                "data": {"k": "v"}}
    live = copy.deepcopy(manifest)
    live["metadata"].update({
        "uid": "u-1", "resourceVersion": "42", "generation": 3, "creationTimestamp": "2025-01-01T00:00:00Z",
        "selfLink": "/api/v1/namespaces/shop/configmaps/c", "managedFields": [{"manager": "helm"}],
        "deletionTimestamp": "2025-01-02T00:00:00Z", "deletionGracePeriodSeconds": 0,
        "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}", "meta.helm.sh/release-name": "shop",
                        "meta.helm.sh/release-namespace": "shop", "argocd.argoproj.io/tracking-id": "shop:/ConfigMap:shop/c",
                        "kustomize.toolkit.fluxcd.io/name": "apps"},
        "finalizers": ["example.io/keep", "kubernetes.io/pvc-protection"],
        "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": "n1", "uid": "x"}],
    })
    live["status"] = {"phase": "Active"}
    assert changes(manifest, live) == []
    # not Helm's bookkeeping (the manifest's Helm label is bookkeeping, dropped on both sides)
    live["metadata"]["labels"]["app.kubernetes.io/managed-by"] = "Terraform"
    live["metadata"]["finalizers"].append("example.io/added")
    assert changes(manifest, live) == [
        ("added_in_live", "metadata.finalizers[1]", None, "example.io/added"),
        ("added_in_live", 'metadata.labels["app.kubernetes.io/managed-by"]', None, "Terraform"),
    ]


def test_bookkeeping_is_configurable() -> None:
    manifest = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"k": "v"}}
    live = copy.deepcopy(manifest)
    live["metadata"]["annotations"] = {"meta.helm.sh/release-name": "shop", "ci.example.com/pipeline": "981"}
    assert changes(manifest, live) == [("added_in_live", 'metadata.annotations["ci.example.com/pipeline"]', None, "981")]
    mine = Bookkeeping(annotation_prefixes=("ci.example.com/",))
    assert changes(manifest, live, bookkeeping=mine) == [
        ("added_in_live", 'metadata.annotations["meta.helm.sh/release-name"]', None, "shop"),
    ]


def test_namespace_dropped_only_when_the_manifest_has_none_and_it_is_the_target() -> None:
    manifest = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"k": "v"}}
    live = copy.deepcopy(manifest)
    live["metadata"]["namespace"] = "shop"
    assert changes(manifest, live, namespace="shop") == []
    assert changes(manifest, live, namespace="default") == [("added_in_live", "metadata.namespace", None, "shop")]


# -------------------------------------------------------------- layer 3


@pytest.mark.parametrize("where,desired,live,same", [
    ("cpu", 0.1, "100m", True),
    ("cpu", "0.5", "500m", True),
    ("cpu", "1", 1, True),
    ("cpu", "2", "2000m", True),
    ("cpu", "100m", "200m", False),
    ("memory", "1024Mi", "1Gi", True),
    ("memory", "128974848", "123Mi", True),
    ("memory", "1Gi", "1G", False),
    ("memory", "1e3", "1k", True),
])
def test_quantities_compare_by_value(where: str, desired: Any, live: Any, same: bool) -> None:
    manifest = copy.deepcopy(DEPLOYMENT)
    put(manifest, C + ("resources", "limits", where), desired)
    current = copy.deepcopy(manifest)
    put(current, C + ("resources", "limits", where), live)
    want = [] if same else [("changed", f"{CN}.resources.limits.{where}", desired, live)]
    assert changes(manifest, current) == want


def test_quantity_parser() -> None:
    assert quantity("1.5Gi") == quantity(1610612736)
    assert quantity("250m") == quantity("0.25")
    assert quantity("1e999999") is None and quantity("12x") is None and quantity(True) is None and quantity(None) is None


def test_numbers_outside_quantity_and_int_or_string_paths_keep_their_type() -> None:
    manifest = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"port": "8080", "cpu": "1"}}
    live = copy.deepcopy(manifest)
    live["data"] = {"port": 8080, "cpu": "1000m"}
    assert changes(manifest, live) == [("changed", "data.cpu", "1", "1000m"), ("changed", "data.port", "8080", 8080)]


def test_int_or_string_only_at_int_or_string_paths() -> None:
    manifest = copy.deepcopy(SERVICE)
    put(manifest, ("spec", "ports", 0, "targetPort"), "8080")
    live = copy.deepcopy(SERVICE)
    put(live, ("spec", "ports", 0, "targetPort"), 8080)
    assert changes(manifest, live) == []
    put(live, ("spec", "ports", 0, "targetPort"), "http")
    assert changes(manifest, live) == [("changed", "spec.ports[port=80,protocol=TCP].targetPort", "8080", "http")]
    dep = copy.deepcopy(DEPLOYMENT)
    put(dep, ("spec", "strategy", "rollingUpdate", "maxSurge"), 1)
    live = copy.deepcopy(dep)
    put(live, ("spec", "strategy", "rollingUpdate", "maxSurge"), "25%")
    assert changes(dep, live) == [("changed", "spec.strategy.rollingUpdate.maxSurge", 1, "25%")]
    put(live, ("spec", "strategy", "rollingUpdate", "maxSurge"), "1")
    assert changes(dep, live) == []
    put(live, C + ("livenessProbe", "httpGet", "port"), "8080")
    assert changes(dep, live) == []


def test_list_maps_compare_by_merge_key_not_position() -> None:
    manifest = copy.deepcopy(DEPLOYMENT)
    spec = manifest["spec"]["template"]["spec"]
    spec["containers"].append({"name": "proxy", "image": "envoy:1.30", "ports": [{"containerPort": 9901}, {"containerPort": 15000}],
                               "volumeMounts": [{"name": "cfg", "mountPath": "/etc/envoy"}, {"name": "sec", "mountPath": "/certs"}],
                               "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]})
    spec["imagePullSecrets"] = [{"name": "one"}, {"name": "two"}]
    live = copy.deepcopy(manifest)
    lspec = live["spec"]["template"]["spec"]
    lspec["containers"].reverse()
    lspec["volumes"].reverse()
    lspec["imagePullSecrets"].reverse()
    proxy = lspec["containers"][0]
    for key in ("ports", "volumeMounts", "env"):
        proxy[key].reverse()
    assert changes(manifest, live) == []
    proxy["env"][0]["value"] = "3"  # B, now first in live
    assert changes(manifest, live) == [("changed", "spec.template.spec.containers[name=proxy].env[name=B].value", "2", "3")]
    svc = copy.deepcopy(SERVICE)
    svc["spec"]["ports"].append({"name": "https", "port": 443, "protocol": "TCP"})
    live_svc = copy.deepcopy(svc)
    live_svc["spec"]["ports"].reverse()
    assert changes(svc, live_svc) == []


def test_rbac_rules_and_subjects_are_multisets() -> None:
    role = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "r", "namespace": "shop"},
            "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]},
                      {"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get"]}]}
    live = copy.deepcopy(role)
    live["rules"].reverse()
    live["rules"][1]["verbs"].reverse()
    assert changes(role, live) == []
    live["rules"].append({"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]})
    assert changes(role, live) == [("added_in_live", "rules", None, {"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]})]
    binding = copy.deepcopy(ROLEBINDING)
    binding["subjects"].append({"kind": "Group", "name": "devs"})
    live = copy.deepcopy(binding)
    live["subjects"].reverse()
    live["subjects"][0]["apiGroup"] = "rbac.authorization.k8s.io"  # the server default for User/Group
    assert changes(binding, live) == []
    live["subjects"].append({"kind": "Group", "name": "devs", "apiGroup": "rbac.authorization.k8s.io"})  # duplicates count
    assert changes(binding, live) == [
        ("added_in_live", "subjects", None, {"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "devs"}),
    ]


def test_aggregated_cluster_role_rules_are_skipped() -> None:
    role = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "monitoring"},
            "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"rbac.example.com/aggregate-to-monitoring": "true"}}]},
            "rules": []}
    live = copy.deepcopy(role)
    live["rules"] = [{"apiGroups": [""], "resources": ["services", "endpoints"], "verbs": ["get", "list"]}]
    assert changes(role, live) == []
    del role["aggregationRule"]
    del live["aggregationRule"]
    assert changes(role, live) == [
        ("added_in_live", "rules", None, {"apiGroups": [""], "resources": ["endpoints", "services"], "verbs": ["get", "list"]}),
    ]


@pytest.mark.parametrize("desired,live,want", [
    ([{}], None, [("removed_in_live", "spec.ingress", [{}], None)]),
    (None, [{}], [("added_in_live", "spec.ingress", None, [{}])]),
    ([{}], [{}], []),
    ([], None, []),
    ([{"from": []}], [{}], []),
    ([{}], [], [("removed_in_live", "spec.ingress", {}, None)]),
])
def test_network_policy_allow_all_is_not_empty(desired: Any, live: Any, want: list) -> None:
    manifest = copy.deepcopy(NETPOL)
    current = copy.deepcopy(NETPOL)
    for obj, value in ((manifest, desired), (current, live)):
        del obj["spec"]["ingress"]
        if value is not None:
            obj["spec"]["ingress"] = value
    assert changes(manifest, current) == want


def test_network_policy_peers_and_ports_are_order_free_with_tcp_default() -> None:
    manifest = copy.deepcopy(NETPOL)
    manifest["spec"]["ingress"] = [{"from": [{"podSelector": {"matchLabels": {"app": "lb"}}}, {"ipBlock": {"cidr": "10.0.0.0/8"}}],
                                    "ports": [{"port": "8080"}, {"port": 9090, "protocol": "UDP"}]}]
    live = copy.deepcopy(manifest)
    rule = live["spec"]["ingress"][0]
    rule["from"].reverse()
    rule["ports"] = [{"port": 9090, "protocol": "UDP"}, {"port": 8080, "protocol": "TCP"}]
    assert changes(manifest, live) == []
    rule["from"].append({"namespaceSelector": {}})  # every namespace
    assert changes(manifest, live)[0][:2] == ("added_in_live", "spec.ingress")
    assert changes(manifest, live)[1][:2] == ("removed_in_live", "spec.ingress")


def test_hpa_target_ignores_replicas() -> None:
    live = copy.deepcopy(DEPLOYMENT)
    manifest = copy.deepcopy(DEPLOYMENT)
    put(manifest, ("spec", "replicas"), 3)
    put(live, ("spec", "replicas"), 11)
    assert changes(manifest, live, ignore_replicas=True) == []
    assert changes(manifest, live) == [("changed", "spec.replicas", 3, 11)]


def test_live_object_without_manifest_is_pruned_everywhere() -> None:
    live = copy.deepcopy(SERVICE)
    live["spec"].update({"clusterIP": "10.96.0.5", "type": "ClusterIP", "sessionAffinity": "None"})
    pruned: list[tuple] = []
    out = normalize_live(live, None, pruned=pruned)
    assert out["spec"] == {"selector": {"app": "web"}, "ports": [{"name": "http", "port": 80}]}
    assert pruned == [("spec", "type"), ("spec", "sessionAffinity"), ("spec", "clusterIP"), ("spec", "ports", 0, "protocol")]
    assert live["spec"]["clusterIP"] == "10.96.0.5"  # the input is not changed


def test_hostile_shapes_do_not_crash() -> None:
    for live in ({"kind": "Deployment", "spec": "x"}, {"kind": "Deployment", "spec": {"template": {"spec": {"containers": "x"}}}},
                 {"kind": "Service", "spec": {"ports": [1, None, {"port": []}]}}, {"kind": "NetworkPolicy", "spec": {"ingress": ["x", None]}},
                 {"kind": "RoleBinding", "subjects": [None, 3]}, {"kind": "Role", "rules": [1, {"verbs": "get"}]}):
        normalize_live(live, {"kind": live["kind"], "spec": []})
        normalize_desired(live)


def test_split_path_reads_quoted_keys() -> None:
    assert split_path('metadata.labels["kubernetes.io/metadata.name"]') == ("metadata", "labels", "kubernetes.io/metadata.name")


def test_secret_string_data_is_compared_as_the_data_the_server_stores() -> None:
    manifest = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "type": "Opaque",
                "data": {"a": "YQ==", "b": "Yg=="}, "stringData": {"b": "bee", "c": "sea"}}
    live = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "type": "Opaque",
            "data": {"a": "YQ==", "b": "YmVl", "c": "c2Vh"}}
    assert changes(manifest, live) == []
    live["data"]["c"] = "c2VhLWNoYW5nZWQ="
    assert changes(manifest, live) == [("changed", "data.c", "c2Vh", "c2VhLWNoYW5nZWQ=")]
