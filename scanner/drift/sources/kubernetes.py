"""Kubernetes live source: a ``kubectl get -o json|yaml`` export, or the API.

``--live FILE`` reads an export -- a ``List`` (``kubectl get ... -o json``), a
single object, or multi-document YAML (``-o yaml``, concatenated dumps);
``--live k8s://CONTEXT[/NAMESPACE]`` (``k8s://`` = current context) reads the
API read-only through ``scanner.drift.sources.kubernetes_api``.

Keys and addresses are ``group/Kind/namespace/name`` (core group empty,
cluster-scoped kinds with an empty namespace: ``/ConfigMap/default/app``,
``rbac.authorization.k8s.io/ClusterRole//view-all``).  A manifest without
``metadata.namespace`` lands in the target namespace (``k8s://ctx/NS``) or
``default``.

What the snapshot holds:

* every object except children -- objects with a controller
  ``ownerReference`` (ReplicaSets, Pods of a Deployment) are the controller's
  business and are left out;
* ``default=True`` on objects every cluster has (``kube-root-ca.crt``, the
  ``default`` ServiceAccount, ``default/kubernetes`` Service, the built-in
  namespaces and everything in ``kube-system``/``kube-public``/
  ``kube-node-lease`` except unlabelled grants of ``cluster-admin``/``admin``/
  ``edit``, RBAC objects labelled ``kubernetes.io/bootstrapping:
  rbac-defaults`` (a ``system:`` name alone proves nothing: anyone can choose
  it), Endpoints, EndpointSlices, Events, Leases); they are never "unmanaged";
* ``sensitive = (("data",), ("stringData",))`` on Secrets; the last-applied
  annotation and ``managedFields`` are removed from live attributes (the
  annotation repeats a Secret's data in clear).

``inspected`` (the templates that can be "missing"), for an export file: a
namespaced template when its namespace appears on any object of the export; a
cluster-scoped template when its kind appears in the export; a Secret only
when the export holds at least one Secret (a ``view`` export cannot read
Secrets: they are never called missing).  A kind the export did not include
while its namespace appears is still called missing -- deleting the last
NetworkPolicy must not go unseen.  For the API: the kinds listed successfully
(in the target namespace, or any namespace when none was given); kinds the
credentials could not read are diagnostics, not missing.

An object targeted by a live (or template) HorizontalPodAutoscaler never
drifts on ``spec.replicas``.
"""
from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

from scanner.drift.compare import diff
from scanner.drift.sources.files import read_live_file
from scanner.drift.model import Change
from scanner.drift.model import LiveObject
from scanner.drift.model import Snapshot
from scanner.drift.normalize.kubernetes import DIFF_SPEC
from scanner.drift.normalize.kubernetes import LAST_APPLIED
from scanner.drift.normalize.kubernetes import Bookkeeping
from scanner.drift.normalize.kubernetes import normalize_desired
from scanner.drift.normalize.kubernetes import normalize_live
from scanner.errors import ParseError
from scanner.errors import UsageError
from scanner.model import Diagnostic
from scanner.model import Resource
from scanner.model import Selector
from scanner.parsers.safe_yaml import load_documents
from scanner.parsers.safe_yaml import load_json

SCHEME = "k8s://"
DEFAULT_NAMESPACE = "default"
# kinds without a namespace (built-in API; cluster-scoped custom kinds are
# learned from the live side, where they carry no namespace)
CLUSTER_SCOPED_KINDS = frozenset({
    "APIService", "CertificateSigningRequest", "ClusterRole", "ClusterRoleBinding", "ComponentStatus",
    "CSIDriver", "CSINode", "CustomResourceDefinition", "FlowSchema", "IngressClass",
    "MutatingWebhookConfiguration", "Namespace", "Node", "PersistentVolume", "PodSecurityPolicy",
    "PriorityClass", "PriorityLevelConfiguration", "RuntimeClass", "SelfSubjectAccessReview",
    "SelfSubjectRulesReview", "StorageClass", "SubjectAccessReview", "TokenReview",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "ValidatingWebhookConfiguration",
    "VolumeAttachment", "VolumeSnapshotClass", "ClusterIssuer",
})
SYSTEM_NAMESPACES = frozenset({"kube-system", "kube-public", "kube-node-lease"})
DEFAULT_NAMESPACES = SYSTEM_NAMESPACES | {"default"}
ALWAYS_DEFAULT_KINDS = frozenset({"Endpoints", "EndpointSlice", "Event", "Lease"})
RBAC_KINDS = frozenset({"ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"})
BOOTSTRAP_LABEL = ("kubernetes.io/bootstrapping", "rbac-defaults")
BOOTSTRAP_ROLES = frozenset({("ClusterRole", "cluster-admin"), ("ClusterRole", "admin"), ("ClusterRole", "edit"),
                             ("ClusterRole", "view"), ("ClusterRoleBinding", "cluster-admin")})
_NAMESPACE_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")


def group_of(api_version: Any) -> str:
    """``apps/v1`` -> ``apps``; ``v1`` -> ``""`` (the core group)."""
    text = str(api_version or "")
    return text.rsplit("/", 1)[0] if "/" in text else ""


def object_key(group: str, kind: str, namespace: str, name: str) -> str:
    return f"{group}/{kind}/{namespace}/{name}"


def is_child(obj: dict) -> bool:
    """True for an object a controller owns (a Deployment's ReplicaSet, its Pods)."""
    meta = obj.get("metadata")
    owners = meta.get("ownerReferences") if isinstance(meta, dict) else None
    return isinstance(owners, list) and any(isinstance(o, dict) and o.get("controller") is True for o in owners)


ADMIN_ROLES = frozenset({"cluster-admin", "admin", "edit"})


def is_default(obj: dict) -> bool:
    """True for an object every cluster has (never "unmanaged")."""
    kind = str(obj.get("kind", ""))
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    name, namespace = str(meta.get("name", "")), str(meta.get("namespace") or "")
    labels = meta.get("labels") if isinstance(meta.get("labels"), dict) else {}
    bootstrap = labels.get(BOOTSTRAP_LABEL[0]) == BOOTSTRAP_LABEL[1]
    role_ref = obj.get("roleRef") if isinstance(obj.get("roleRef"), dict) else {}
    admin_grant = kind in RBAC_KINDS and role_ref.get("name") in ADMIN_ROLES
    if kind in ALWAYS_DEFAULT_KINDS:
        return True
    if namespace in SYSTEM_NAMESPACES:
        return bootstrap or not admin_grant  # an admin grant hidden in kube-system is reported
    if kind == "Namespace":
        return name in DEFAULT_NAMESPACES
    if (kind == "ConfigMap" and name == "kube-root-ca.crt") or (kind == "ServiceAccount" and name == "default"):
        return True
    if kind == "Service" and namespace == "default" and name == "kubernetes":
        return True
    if kind in RBAC_KINDS:
        if (kind, name) in BOOTSTRAP_ROLES:
            return bootstrap
        if name.startswith("system:"):
            return bootstrap  # a system: name alone proves nothing: anyone can choose it
    return False


def parse_target(spec: str) -> tuple[str | None, str | None]:
    """``k8s://CONTEXT[/NAMESPACE]`` -> (context or None, namespace or None)."""
    rest = spec[len(SCHEME):].rstrip("/")
    context, _, namespace = rest.partition("/")
    if "/" in namespace:
        raise UsageError("--live k8s://CONTEXT[/NAMESPACE] takes at most a context and a namespace")
    if namespace and not _NAMESPACE_NAME.match(namespace):
        raise UsageError("--live k8s://CONTEXT/NAMESPACE: the namespace is not a valid Kubernetes name")
    return (context or None), (namespace or None)


def read_export(text: str, file: str = "export") -> tuple[list[dict], list[Diagnostic]]:
    """Objects of a ``kubectl get`` export (``List`` items expanded), plus a
    diagnostic for every item that is not an object; ParseError when the text
    is neither JSON nor YAML, or holds no Kubernetes object at all."""
    stripped = text.lstrip()
    docs = [load_json(text)] if stripped.startswith(("{", "[")) else load_documents(text)
    objects: list[dict] = []
    diagnostics: list[Diagnostic] = []
    seen_any = False
    for doc in docs:
        value = doc.value
        if value is None:
            continue
        if not isinstance(value, dict):
            raise ParseError("not a Kubernetes export: a document is not an object with apiVersion and kind",
                             doc.start_line)
        if not value.get("kind") or not value.get("apiVersion"):
            raise ParseError("not a Kubernetes export: a document has no apiVersion or kind", doc.start_line)
        kind = str(value["kind"])
        if kind.endswith("List") and "items" in value:
            seen_any = True
            items = value.get("items")
            if items is None:
                continue
            if not isinstance(items, list):
                raise ParseError(f"{kind}.items is not a list", doc.lines.get(("items",), doc.start_line))
            for i, item in enumerate(items):
                line = doc.lines.get(("items", i), doc.start_line)
                reason = _invalid(item)
                if reason:
                    diagnostics.append(Diagnostic(file, line, f"{kind} item {i} skipped: {reason}", "warning"))
                else:
                    objects.append(item)
            continue
        seen_any = True
        reason = _invalid(value)
        if reason:
            diagnostics.append(Diagnostic(file, doc.start_line, f"object skipped: {reason}", "warning"))
        else:
            objects.append(value)
    if not seen_any:
        raise ParseError("not a Kubernetes export: no object with apiVersion and kind", 1)
    return objects, diagnostics


def _invalid(item: Any) -> str:
    if not isinstance(item, dict):
        return "not an object"
    if not isinstance(item.get("kind"), str) or not item.get("kind") or not isinstance(item.get("apiVersion"), str):
        return "no apiVersion or kind"
    meta = item.get("metadata")
    if not isinstance(meta, dict) or not isinstance(meta.get("name"), str) or not meta.get("name"):
        return "no metadata.name"
    if meta.get("namespace") is not None and not isinstance(meta.get("namespace"), str):
        return "metadata.namespace is not a string"
    return ""


class KubernetesSource:
    """Kubernetes objects from an export file or the API, compared with manifests."""

    name = "kubernetes"
    schema = "kubernetes"

    def __init__(self, version: str | None = None, bookkeeping: Bookkeeping | None = None,
                 kubeconfig: str | None = None) -> None:
        self.version = version  # server minor version for the defaults table; None = every range
        self.bookkeeping = bookkeeping
        self.kubeconfig = kubeconfig
        self.namespace = DEFAULT_NAMESPACE  # where a manifest without namespace lands
        self._cluster_kinds: set[str] = set(CLUSTER_SCOPED_KINDS)
        self._hpa_targets: set[str] = set()
        self._managers: dict[str, list] = {}

    # -- keys ---------------------------------------------------------------

    def _key(self, obj: dict) -> str | None:
        kind = obj.get("kind")
        meta = obj.get("metadata")
        if not isinstance(kind, str) or not kind or kind.endswith("List") or not isinstance(meta, dict):
            return None
        name = meta.get("name")
        if not isinstance(name, str) or not name:
            return None
        if kind in self._cluster_kinds:
            namespace = ""
        else:
            namespace = meta.get("namespace")
            namespace = namespace if isinstance(namespace, str) and namespace else self.namespace
        return object_key(group_of(obj.get("apiVersion")), kind, namespace, name)

    def template_key(self, resource: Resource) -> str | None:
        if resource.schema != self.schema or not isinstance(resource.attributes, dict):
            return None
        return self._key(resource.attributes)

    # -- load ---------------------------------------------------------------

    def load(self, spec: str, templates: list[Resource]) -> Snapshot:
        self.namespace = DEFAULT_NAMESPACE
        self._cluster_kinds = set(CLUSTER_SCOPED_KINDS)
        if spec.startswith(SCHEME):
            return self._load_api(spec, templates)
        text = read_live_file(spec)
        raw, diagnostics = read_export(text, spec)
        snapshot = self._snapshot(raw, templates, spec, diagnostics)
        snapshot.inspected = self._inspected_export(raw, templates)
        return snapshot

    def _load_api(self, spec: str, templates: list[Resource]) -> Snapshot:
        context, namespace = parse_target(spec)
        if namespace:
            self.namespace = namespace
        from scanner.drift.sources import kubernetes_api  # optional extra: imported only when asked for

        # the security-relevant kinds, plus every kind the templates declare (custom resources)
        wanted = {(group_of(str(t.attributes.get("apiVersion", ""))), t.type) for t in templates
                  if t.schema == self.schema and isinstance(t.attributes, dict)}
        kinds = tuple(sorted(set(kubernetes_api.DEFAULT_KINDS) | wanted))
        result = kubernetes_api.fetch(context, namespace, self.kubeconfig, kinds)
        diagnostics = [Diagnostic(spec, None, str(w), "warning") for w in result.warnings]
        for group, kind in sorted(result.not_inspected):
            if any(kind in str(w) for w in result.warnings):
                continue  # the reader said it already
            diagnostics.append(Diagnostic(spec, None, f"not inspected: {group + '/' if group else ''}{kind} "
                                                      "(the credentials cannot list it)", "warning"))
        raw = [o for o in result.objects if not _invalid(o)]
        if len(raw) != len(result.objects):
            diagnostics.append(Diagnostic(spec, None, f"{len(result.objects) - len(raw)} object(s) without "
                                                      "apiVersion, kind or name skipped", "warning"))
        snapshot = self._snapshot(raw, templates, result.provenance or spec, diagnostics)
        listed = set(result.kinds) - set(result.not_inspected)
        snapshot.inspected = {key for key, group, kind, ns in self._template_keys(templates)
                              if (group, kind) in listed and (namespace is None or ns in ("", namespace))}
        return snapshot

    def _snapshot(self, raw: list[dict], templates: list[Resource], provenance: str,
                  diagnostics: list[Diagnostic]) -> Snapshot:
        for obj in raw:  # cluster-scoped custom kinds: the live side knows
            if not obj["metadata"].get("namespace"):
                self._cluster_kinds.add(obj["kind"])
        self._hpa_targets = set()
        for obj in raw + [t.attributes for t in templates if t.schema == self.schema and isinstance(t.attributes, dict)]:
            target = self._hpa_target(obj)
            if target:
                self._hpa_targets.add(target)
        objects: dict[str, LiveObject] = {}
        children = 0
        for obj in raw:
            if is_child(obj):
                children += 1
                continue
            key = self._key(obj)
            if key is None:
                continue
            if key in objects:
                diagnostics.append(Diagnostic(provenance, None, f"duplicate object {key}: kept the first", "warning"))
                continue
            fields = obj["metadata"].get("managedFields")
            self._managers[key] = fields if isinstance(fields, list) else []  # who wrote what: the drift's actor
            objects[key] = LiveObject(
                source=self.name, schema=self.schema, type=obj["kind"], key=key, address=key,
                native_id=str(obj["metadata"].get("uid") or ""),
                attributes=_clean(obj),
                sensitive=(("data",), ("stringData",)) if obj["kind"] == "Secret" and group_of(obj["apiVersion"]) == "" else (),
                provenance=provenance,
                default=is_default(obj),
            )
        ordered = [objects[k] for k in sorted(objects)]
        kinds = sorted({f"{group_of(o['apiVersion'])}/{o['kind']}" for o in raw})
        return Snapshot(
            objects=ordered,
            diagnostics=sorted(diagnostics, key=Diagnostic.sort_key),
            properties={"objects": len(ordered), "children_skipped": children, "kinds": kinds,
                        "namespace": self.namespace},
        )

    def _hpa_target(self, obj: dict) -> str | None:
        if obj.get("kind") != "HorizontalPodAutoscaler":
            return None
        spec, meta = obj.get("spec"), obj.get("metadata")
        ref = spec.get("scaleTargetRef") if isinstance(spec, dict) else None
        if not isinstance(ref, dict) or not isinstance(meta, dict):
            return None
        kind, name = ref.get("kind"), ref.get("name")
        if not isinstance(kind, str) or not isinstance(name, str):
            return None
        namespace = meta.get("namespace") if isinstance(meta.get("namespace"), str) and meta.get("namespace") else self.namespace
        return object_key(group_of(ref.get("apiVersion")), kind, namespace, name)

    def _template_keys(self, templates: list[Resource]) -> list[tuple[str, str, str, str]]:
        """(key, group, kind, namespace) of every template this source can match."""
        out = []
        for template in templates:
            key = self.template_key(template)
            if key is not None:
                group, kind, namespace, _ = key.split("/", 3)
                out.append((key, group, kind, namespace))
        return out

    def _inspected_export(self, raw: list[dict], templates: list[Resource]) -> set[str]:
        namespaces = {o["metadata"]["namespace"] for o in raw if isinstance(o["metadata"].get("namespace"), str)}
        kinds = {(group_of(o["apiVersion"]), o["kind"]) for o in raw}
        has_secrets = ("", "Secret") in kinds
        inspected = set()
        for key, group, kind, namespace in self._template_keys(templates):
            if group == "" and kind == "Secret" and not has_secrets:
                continue
            if (namespace and namespace in namespaces) or (not namespace and (group, kind) in kinds):
                inspected.add(key)
        return inspected

    # -- compare ------------------------------------------------------------

    def compare(self, template: Resource | None, obj: LiveObject) -> list[Change]:
        live = obj.attributes if isinstance(obj.attributes, dict) else {}
        desired_raw = template.attributes if template is not None and isinstance(template.attributes, dict) else None
        if desired_raw is None:
            desired_raw = obj.desired if isinstance(obj.desired, dict) else {}
        ignore_replicas = obj.key in self._hpa_targets
        desired = normalize_desired(desired_raw, ignore_replicas=ignore_replicas, bookkeeping=self.bookkeeping,
                                    version=self.version)
        normalized = normalize_live(live, desired_raw, namespace=self.namespace, version=self.version,
                                    ignore_replicas=ignore_replicas, bookkeeping=self.bookkeeping)
        managers = self._managers.get(obj.key, [])
        return [replace(c, actor=field_manager(managers, c.path)) if c.live is not None else c
                for c in diff(desired, normalized, DIFF_SPEC)]


def field_manager(managed_fields: list, path: tuple) -> str:
    """The manager that owns ``path`` in ``metadata.managedFields`` (FieldsV1):
    the one whose field set reaches deepest along the path, the latest on a tie;
    "" when none owns the field itself. Status subresource entries are skipped."""
    best, best_depth, best_time = "", 0, ""
    for entry in managed_fields:
        if not isinstance(entry, dict) or entry.get("subresource") or not isinstance(entry.get("fieldsV1"), dict):
            continue
        node, depth = entry["fieldsV1"], 0
        for part in path:
            step = _fields_step(node, part)
            if step is None:
                break
            node, depth = step, depth + 1
        when = str(entry.get("time") or "")
        if depth == len(path) and (depth > best_depth or (depth == best_depth and when > best_time)):
            best, best_depth, best_time = str(entry.get("manager") or ""), depth, when
    return best


def _fields_step(node: Any, part: Any) -> Any:
    if not isinstance(node, dict):
        return None
    if isinstance(part, Selector):
        wanted = part.fields()
        for key, child in node.items():
            if key.startswith("k:"):
                try:
                    fields = json.loads(key[2:])
                except ValueError:
                    continue
                if isinstance(fields, dict) and {k: str(v) for k, v in fields.items()} == wanted:
                    return child
        return None
    if isinstance(part, int):
        return node.get(f"i:{part}")
    return node.get(f"f:{part}")


def _clean(obj: dict) -> dict:
    """The live object as rules see it, without managedFields and the
    last-applied annotation (which repeats a Secret's data in clear)."""
    out = dict(obj)
    meta = dict(obj["metadata"])
    meta.pop("managedFields", None)
    annotations = meta.get("annotations")
    if isinstance(annotations, dict) and LAST_APPLIED in annotations:
        meta["annotations"] = {k: v for k, v in annotations.items() if k != LAST_APPLIED}
    out["metadata"] = meta
    return out
