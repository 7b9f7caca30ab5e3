"""Python checks for Kubernetes: reasoning across objects of a namespace.

A namespace-level finding has no single object to sit on, so these checks
report it once per namespace: on the ``Namespace`` object when the scanned
manifests contain it (the first one by file and line), otherwise on the first
qualifying workload of that namespace (by file and line).  Every other
resource of the namespace stays silent, so a namespace yields one finding.

Objects without ``metadata.namespace`` are grouped as ``namespace:default``
(the parser cannot know the namespace ``kubectl -n`` or kustomize would apply).
A value that cannot be known (``Unknown``) never produces a finding.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

from scanner.engine.checks.common import CheckFn
from scanner.engine.checks.common import Context
from scanner.engine.checks.common import Hit
from scanner.model import Resource
from scanner.model import Unknown

# kinds that run pods (PodTemplate only describes one, so it does not count)
WORKLOAD_KINDS = ("Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob")
NS_PREFIX = "namespace:"

# Istio never injects sidecars into these namespaces
ISTIO_IGNORED_NAMESPACES = ("kube-system", "kube-public", "kube-node-lease")
ISTIO_API_PREFIXES = ("networking.istio.io/", "security.istio.io/", "telemetry.istio.io/", "extensions.istio.io/")
WEAK_MTLS_MODES = ("PERMISSIVE", "DISABLE")


class _Unknowable(Exception):
    """Raised inside a helper when a value it needs is Unknown."""


def _known(value: Any) -> Any:
    if isinstance(value, Unknown):
        raise _Unknowable
    return value


def _dict(value: Any) -> dict:
    value = _known(value)
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    value = _known(value)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _empty(value: Any) -> bool:
    """None, {} or []: an omitted or empty selector part."""
    value = _known(value)
    return value is None or value == {} or value == []


def _k8s(resources: list[Resource]) -> list[Resource]:
    return [r for r in resources if r.schema == "kubernetes"]


def _metadata(resource: Resource) -> dict:
    attrs = resource.attributes if isinstance(resource.attributes, dict) else {}
    meta = attrs.get("metadata")
    return meta if isinstance(meta, dict) else {}


def _order(resource: Resource) -> tuple:
    return (resource.file, resource.start_line, resource.name)


def _namespace_name(resource: Resource) -> str:
    return resource.group[len(NS_PREFIX):] if resource.group.startswith(NS_PREFIX) else ""


def _members(ctx: Context, namespace: str) -> list[Resource]:
    return _k8s(ctx.by_group.get(NS_PREFIX + namespace, []))


def _namespace_objects(ctx: Context, namespace: str) -> list[Resource]:
    """Namespace objects named ``namespace`` (cluster-scoped: grouped under default)."""
    found = [
        r for r in _k8s(ctx.by_group.get(NS_PREFIX + "default", []))
        if r.type == "Namespace" and str(_metadata(r).get("name", "")) == namespace
    ]
    return sorted(found, key=_order)


def _pod_metadata(resource: Resource) -> dict:
    """The metadata of the pod a workload runs (a Pod's own, a template's otherwise)."""
    pod_paths = resource.anchors.get("pod") or []
    if not pod_paths:
        return {}
    value: Any = resource.attributes
    for key in pod_paths[0][:-1] + ("metadata",):
        if not isinstance(value, dict):
            return {}
        value = value.get(key)
    return value if isinstance(value, dict) else {}


def _namespace_target(resource: Resource, ctx: Context, workload_filter: Callable[[Resource], bool]) -> str | None:
    """The namespace ``resource`` reports for, or None when another object reports it.

    A Namespace object reports for itself (the first of that name); a workload
    reports only when the namespace has no Namespace object in the scan and the
    workload is the first one ``workload_filter`` accepts."""
    if resource.type == "Namespace":
        name = _metadata(resource).get("name")
        if not isinstance(name, str) or not name:
            return None
        objects = _namespace_objects(ctx, name)
        if objects and objects[0] is not resource:
            return None
        return name
    if resource.type not in WORKLOAD_KINDS:
        return None
    namespace = _namespace_name(resource)
    if _namespace_objects(ctx, namespace):
        return None  # the Namespace object carries the finding
    candidates = sorted((r for r in _members(ctx, namespace) if r.type in WORKLOAD_KINDS and workload_filter(r)), key=_order)
    if not candidates or candidates[0] is not resource:
        return None
    return namespace


# ---------------------------------------------------------------------------
# ZD-K8S-015: namespace with workloads but no default-deny ingress policy


def _selects_all_pods(spec: dict) -> bool:
    selector = _known(spec.get("podSelector"))
    if selector is None:
        return True  # an omitted podSelector is the empty selector
    if not isinstance(selector, dict):
        return False
    return _empty(selector.get("matchLabels")) and _empty(selector.get("matchExpressions"))


def _policy_types(spec: dict) -> list:
    return [_known(t) for t in _list(spec.get("policyTypes"))]


def _cidr_is_open(cidr: Any) -> bool:
    cidr = _known(cidr)
    if not isinstance(cidr, str):
        return False
    try:
        return ipaddress.ip_network(cidr.strip(), strict=False).prefixlen == 0
    except ValueError:
        return False


def _rule_allows_everyone(rule: Any, peers_key: str) -> bool:
    """An ingress/egress rule that admits every peer on every port: empty, or
    only an ipBlock of 0.0.0.0/0 or ::/0 without ports."""
    rule = _known(rule)
    if not isinstance(rule, dict):
        return False
    if _list(rule.get("ports")):
        return False
    peers = _list(rule.get(peers_key))
    if not peers:
        return True
    return any(_cidr_is_open(_dict(_dict(peer).get("ipBlock")).get("cidr")) for peer in peers)


def _isolates_all_ingress(policy: Resource) -> bool:
    """A NetworkPolicy that selects every pod of its namespace for Ingress and
    does not re-open it to everyone: default deny, possibly with listed allows."""
    # a missing spec is the empty one: every pod, Ingress, no rules
    spec = _dict(policy.attributes.get("spec") if isinstance(policy.attributes, dict) else None)
    if not _selects_all_pods(spec):
        return False
    types = _policy_types(spec)
    if types and "Ingress" not in types:
        return False  # with policyTypes unset, Ingress always applies
    return not any(_rule_allows_everyone(rule, "from") for rule in _list(spec.get("ingress")))


def _has_default_deny_ingress(members: list[Resource]) -> bool | None:
    unknown = False
    for policy in members:
        if policy.type != "NetworkPolicy":
            continue
        try:
            if _isolates_all_ingress(policy):
                return True
        except _Unknowable:
            unknown = True
    return None if unknown else False


def namespace_without_default_deny_ingress(resource: Resource, ctx: Context, params: dict) -> Iterator[Hit]:
    """A namespace that runs workloads but has no NetworkPolicy isolating all its pods for ingress."""
    namespace = _namespace_target(resource, ctx, lambda r: True)
    if namespace is None:
        return
    members = _members(ctx, namespace)
    if not any(r.type in WORKLOAD_KINDS for r in members):
        return
    if _has_default_deny_ingress(members) is False:
        yield (), f"namespace {namespace}"


# ---------------------------------------------------------------------------
# ZD-K8S-020: meshed namespace without STRICT mutual TLS


def _is_istio(resource: Resource) -> bool:
    attrs = resource.attributes if isinstance(resource.attributes, dict) else {}
    api = attrs.get("apiVersion")
    return isinstance(api, str) and api.startswith(ISTIO_API_PREFIXES)


def _labels(meta: dict) -> dict:
    labels = meta.get("labels")
    return labels if isinstance(labels, dict) else {}


def _annotations(meta: dict) -> dict:
    annotations = meta.get("annotations")
    return annotations if isinstance(annotations, dict) else {}


def _text(value: Any) -> str:
    return str(value).strip().lower() if isinstance(value, (str, bool)) else ""


def _namespace_mesh_label(meta: dict) -> str | None:
    """"enabled" / "disabled" from a Namespace's labels, None when it says nothing."""
    labels = _labels(meta)
    injection = _text(labels.get("istio-injection"))
    if injection == "disabled":
        return "disabled"
    if injection == "enabled" or _text(labels.get("istio.io/rev")) or _text(labels.get("istio.io/dataplane-mode")) == "ambient":
        return "enabled"
    return None


def _workload_injection(resource: Resource) -> str | None:
    """"true" / "false" when the pod template opts in or out of sidecar injection."""
    meta = _pod_metadata(resource)
    for source in (_labels(meta), _annotations(meta)):
        value = _text(source.get("sidecar.istio.io/inject"))
        if value in ("true", "false"):
            return value
    if _text(_labels(meta).get("istio.io/rev")):
        return "true"
    return None


def _mesh_in_use(ctx: Context) -> bool:
    for group in ctx.by_group.values():
        for res in _k8s(group):
            if _is_istio(res):
                return True
            if res.type == "Namespace" and _namespace_mesh_label(_metadata(res)) == "enabled":
                return True
            if res.type in WORKLOAD_KINDS and _workload_injection(res) == "true":
                return True
    return False


def _meshed_workload(resource: Resource) -> bool:
    return resource.type in WORKLOAD_KINDS and _workload_injection(resource) != "false"


def _namespace_wide_modes(members: list[Resource]) -> list:
    """mtls.mode of every PeerAuthentication without a workload selector."""
    modes = []
    for pa in members:
        if pa.type != "PeerAuthentication" or not _is_istio(pa):
            continue
        spec = _dict(pa.attributes.get("spec"))
        selector = _known(spec.get("selector"))
        if isinstance(selector, dict) and not (_empty(selector.get("matchLabels")) and _empty(selector.get("matchExpressions"))):
            continue  # applies to the selected workloads only
        mode = _known(_dict(spec.get("mtls")).get("mode"))
        modes.append(str(mode).upper() if isinstance(mode, str) and mode.strip() else "UNSET")
    return modes


def _strictness(modes: list) -> str | None:
    """"STRICT", the weak mode that wins ("DISABLE" / "PERMISSIVE"), or None
    when the namespace inherits (no namespace-wide policy, or only UNSET)."""
    for weak in WEAK_MTLS_MODES[::-1]:
        if weak in modes:
            return weak
    return "STRICT" if "STRICT" in modes else None


def _mtls_problem(ctx: Context, namespace: str, root: str) -> str | None:
    """Why ``namespace`` is not covered by STRICT mTLS, or None when it is."""
    own = _strictness(_namespace_wide_modes(_members(ctx, namespace)))
    if own == "STRICT":
        return None
    if own is not None:
        return f"a namespace-wide PeerAuthentication sets {own}"
    mesh = _strictness(_namespace_wide_modes(_members(ctx, root)))
    if mesh == "STRICT":
        return None
    if mesh is not None:
        return f"the mesh-wide PeerAuthentication in {root} sets {mesh}"
    return f"no namespace-wide STRICT PeerAuthentication and none mesh-wide in {root}"


def namespace_without_strict_mtls(resource: Resource, ctx: Context, params: dict) -> Iterator[Hit]:
    """A namespace in an Istio mesh whose workloads accept plaintext (no STRICT PeerAuthentication)."""
    root = str(params.get("mesh_root_namespace") or "istio-system")
    try:
        namespace = _namespace_target(resource, ctx, _meshed_workload)
        if namespace is None or namespace == root or namespace in ISTIO_IGNORED_NAMESPACES:
            return
        members = _members(ctx, namespace)
        meshed = [r for r in members if _meshed_workload(r)]
        if not meshed:
            return
        objects = _namespace_objects(ctx, namespace)
        if objects:
            label = _namespace_mesh_label(_metadata(objects[0]))
            if label == "disabled":
                return
            if label is None and not any(_workload_injection(r) == "true" for r in meshed):
                return  # the namespace is not enrolled and no workload opts in
        elif not _mesh_in_use(ctx):
            return
        problem = _mtls_problem(ctx, namespace, root)
    except _Unknowable:
        return
    if problem is not None:
        yield (), f"namespace {namespace}: {problem}"


CHECKS: dict[str, CheckFn] = {
    "namespace_without_default_deny_ingress": namespace_without_default_deny_ingress,
    "namespace_without_strict_mtls": namespace_without_strict_mtls,
}
