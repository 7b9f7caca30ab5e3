"""Normalize Kubernetes objects (a manifest and its live copy) before diffing.

Three layers (shared/docs/drift.md section 5.2), then everything left is drift,
fields that exist only in live included:

1. drop what the server owns: ``status``, ``metadata.uid`` / ``resourceVersion``
   / ``generation`` / ``creationTimestamp`` / ``managedFields`` / ``selfLink`` /
   deletion stamps, the last-applied and ``deployment.kubernetes.io/revision``
   annotations, tool bookkeeping (Helm, Argo CD, Flux; configurable), and the
   finalizers and ownerReferences controllers add;
2. prune a live value equal to its documented default **only where the
   manifest left the field out** -- the defaults are data
   (``kubernetes-defaults.yaml``, keyed by minor-version range), this module
   only provides the operators (literal default, allocated value, image pull
   policy by tag, targetPort = port, ...);
3. canonicalize: quantities compare by parsed value (``0.1`` == ``100m``),
   intOrString numbers only at intOrString paths, RBAC rules / subjects and
   NetworkPolicy rules / peers are multisets with their own defaults filled
   in, ``rules`` of an aggregated ClusterRole are skipped, a Secret's
   write-only ``stringData`` is folded into ``data`` (base64) as the server
   stores it.  ``{}``, ``[]``,
   null and absent are equal (``scanner.drift.compare``) except a NetworkPolicy
   ``ingress: [{}]`` / ``egress: [{}]`` (allow all), which stays a list.

``DIFF_SPEC`` gives the merge keys (containers by name, container ports by
containerPort + protocol, Service ports by port + protocol, ...) and multisets.
Nothing here prints or logs a value.
"""
from __future__ import annotations

import base64
import copy
import re
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from decimal import InvalidOperation
from decimal import localcontext
from functools import lru_cache
from importlib import resources
from typing import Any

from scanner.drift.compare import DiffSpec
from scanner.drift.compare import canonical
from scanner.drift.compare import empty
from scanner.parsers.safe_yaml import load_documents

DEFAULTS_FILE = "kubernetes-defaults.yaml"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
SERVER_METADATA = ("uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink",
                   "deletionTimestamp", "deletionGracePeriodSeconds")
SERVER_ANNOTATIONS = (LAST_APPLIED, "deployment.kubernetes.io/revision")
RBAC_GROUP = "rbac.authorization.k8s.io"
CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")
_NAME_KEYED = frozenset({"containers", "initContainers", "ephemeralContainers", "env", "volumes", "imagePullSecrets"})
_RULE_SET_FIELDS = ("apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs")
_WORKLOAD_REPLICAS = ("spec", "replicas")


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Bookkeeping:
    """Tool bookkeeping dropped from both sides before comparing."""

    annotations: frozenset[str] = frozenset()
    annotation_prefixes: tuple[str, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()  # (label, value) pairs
    label_prefixes: tuple[str, ...] = ()


@dataclass
class _Node:
    rule: dict | None = None  # leaf: {"default": v} | {"any": True} | {"op": name, ...}
    children: dict[str, _Node] = field(default_factory=dict)
    blocks: list[str] = field(default_factory=list)  # apply to the dict here
    items: list[str] = field(default_factory=list)  # apply to every element of the list here


@dataclass
class Defaults:
    """The defaults table for one server version (or all, when unknown)."""

    kinds: dict[str, _Node]
    blocks: dict[str, _Node]
    bookkeeping: Bookkeeping
    controller_finalizers: frozenset[str]
    controller_owner_kinds: frozenset[str]


_RANGE = re.compile(r"^1\.(\d+)(\+|-1\.(\d+))$")


def _minor(version: str | None) -> int | None:
    if version is None:
        return None
    m = re.match(r"^v?1\.(\d+)", str(version).strip())
    return int(m.group(1)) if m else None


def _in_range(text: str, minor: int | None) -> bool:
    m = _RANGE.match(text)
    if not m:
        raise ValueError(f"bad version range in {DEFAULTS_FILE}")
    if minor is None:
        return True
    low = int(m.group(1))
    high = int(m.group(3)) if m.group(3) is not None else None
    return minor >= low and (high is None or minor <= high)


def split_path(text: str) -> tuple[str, ...]:
    """``a.b["c.d/e"].f`` -> ("a", "b", "c.d/e", "f")."""
    parts: list[str] = []
    for m in re.finditer(r'\["((?:[^"\\]|\\.)*)"\]|([^.\[\]]+)', text):
        parts.append(m.group(1) if m.group(1) is not None else m.group(2))
    return tuple(parts)


def _insert(root: _Node, path: str, rule: Any) -> None:
    node = root
    for part in split_path(path):
        node = node.children.setdefault(part, _Node())
    if not isinstance(rule, dict):
        raise ValueError(f"rule at {path} in {DEFAULTS_FILE} is not a mapping")
    if "block" in rule:
        node.blocks.append(str(rule["block"]))
    elif "items" in rule:
        node.items.append(str(rule["items"]))
    else:
        node.rule = dict(rule)


@lru_cache(maxsize=8)
def load_defaults(version: str | None = None) -> Defaults:
    """The defaults table for server ``version`` (``"1.27"``, ``"v1.29.3"``);
    ``None`` (unknown) merges every range."""
    text = resources.files("scanner.drift.normalize").joinpath(DEFAULTS_FILE).read_text(encoding="utf-8")
    data = load_documents(text)[0].value
    minor = _minor(version)
    kinds: dict[str, _Node] = {}
    blocks: dict[str, _Node] = {}
    ranges = data.get("defaults") or {}
    for rng in sorted(ranges, key=lambda r: int(_RANGE.match(r).group(1)) if _RANGE.match(r) else 0):
        if not _in_range(rng, minor):
            continue
        section = ranges[rng] or {}
        for target, name_rules in ((blocks, section.get("blocks") or {}), (kinds, section.get("kinds") or {})):
            for name, rules in name_rules.items():
                node = target.setdefault(name, _Node())
                for path, rule in (rules or {}).items():
                    _insert(node, path, rule)
    book = data.get("bookkeeping") or {}
    bookkeeping = Bookkeeping(
        annotations=frozenset(book.get("annotations") or ()),
        annotation_prefixes=tuple(book.get("annotation_prefixes") or ()),
        labels=tuple(sorted((str(k), str(v)) for k, v in (book.get("labels") or {}).items())),
        label_prefixes=tuple(book.get("label_prefixes") or ()),
    )
    return Defaults(kinds, blocks, bookkeeping,
                    frozenset(data.get("controller_finalizers") or ()),
                    frozenset(data.get("controller_owner_kinds") or ()))


# --------------------------------------------------------------------------- canonical values


_QUANTITY = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$")
_SUFFIX = {
    "": Decimal(1), "n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"),
    "k": Decimal("1e3"), "M": Decimal("1e6"), "G": Decimal("1e9"), "T": Decimal("1e12"),
    "P": Decimal("1e15"), "E": Decimal("1e18"),
    "Ki": Decimal(2) ** 10, "Mi": Decimal(2) ** 20, "Gi": Decimal(2) ** 30,
    "Ti": Decimal(2) ** 40, "Pi": Decimal(2) ** 50, "Ei": Decimal(2) ** 60,
}


def quantity(value: Any) -> Decimal | None:
    """The value of a Kubernetes quantity (``100m``, ``1Gi``, ``0.1``, ``2``),
    None when ``value`` is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        text = repr(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        return None
    m = _QUANTITY.match(text)
    if not m:
        return None
    try:
        number = Decimal(m.group(1))
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number.adjusted()) > 40:
        return None
    with localcontext() as ctx:
        ctx.prec = 60
        return (number * _SUFFIX[m.group(2) or ""]).normalize()


def int_or_string(value: Any) -> Any:
    """An intOrString value in a form where ``"8080"`` equals ``8080``."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,10}", value):
        return int(value)
    return value


def _is_quantity_path(path: tuple) -> bool:
    if len(path) >= 3 and path[-3] in ("resources", "overhead") and path[-2] in ("limits", "requests"):
        return True
    if len(path) >= 2 and path[-2] in ("overhead", "capacity", "hard", "default", "defaultRequest", "max", "min"):
        return True
    return bool(path) and path[-1] in ("sizeLimit", "divisor")


def _is_int_or_string_path(path: tuple) -> bool:
    if not path:
        return False
    last = path[-1]
    if last == "targetPort" or (last == "port" and len(path) >= 2 and path[-2] in ("httpGet", "tcpSocket")):
        return True
    if last in ("maxSurge", "maxUnavailable") and len(path) >= 2 and path[-2] == "rollingUpdate":
        return True
    return path[:1] == ("spec",) and len(path) == 2 and last in ("minAvailable", "maxUnavailable")


def _equal(path: tuple, desired: Any, live: Any) -> bool | None:
    if _is_quantity_path(path):
        a, b = quantity(desired), quantity(live)
        if a is not None and b is not None:
            return a == b
    if _is_int_or_string_path(path):
        return int_or_string(desired) == int_or_string(live) and type(int_or_string(desired)) is type(int_or_string(live))
    return None


def _keyed(path: tuple) -> tuple[str, ...] | None:
    if not path:
        return None
    last = path[-1]
    if last in _NAME_KEYED:
        return ("name",)
    if last == "ports":
        if path == ("spec", "ports"):
            return ("port", "protocol")
        if len(path) >= 2 and path[-2] in CONTAINER_LISTS:
            return ("containerPort", "protocol")
    if last == "volumeMounts":
        return ("mountPath",)
    if last == "volumeDevices":
        return ("devicePath",)
    return None


_MULTISETS = frozenset({("rules",), ("subjects",), ("spec", "ingress"), ("spec", "egress"), ("spec", "policyTypes")})


def _multiset(path: tuple) -> bool:
    return path in _MULTISETS or path[-2:] in (("ingress", "from"), ("egress", "to"))


DIFF_SPEC = DiffSpec(keyed=_keyed, multiset=_multiset, equal=_equal)


# --------------------------------------------------------------------------- layer 1


def _drop_server_owned(obj: dict, template: dict | None, defaults: Defaults, bookkeeping: Bookkeeping,
                       namespace: str | None, live: bool) -> None:
    obj.pop("status", None)
    meta = obj.get("metadata")
    if not isinstance(meta, dict):
        return
    tmeta = template.get("metadata") if isinstance(template, dict) else None
    tmeta = tmeta if isinstance(tmeta, dict) else {}
    for key in SERVER_METADATA:
        meta.pop(key, None)
    if live and namespace is not None and "namespace" not in tmeta and meta.get("namespace") == namespace:
        del meta["namespace"]
    annotations = meta.get("annotations")
    if isinstance(annotations, dict):
        for key in list(annotations):
            if key in SERVER_ANNOTATIONS or key in bookkeeping.annotations \
                    or any(str(key).startswith(p) for p in bookkeeping.annotation_prefixes):
                del annotations[key]
    labels = meta.get("labels")
    if isinstance(labels, dict):
        pairs = dict(bookkeeping.labels)
        for key in list(labels):
            if (key in pairs and labels[key] == pairs[key]) \
                    or any(str(key).startswith(p) for p in bookkeeping.label_prefixes):
                del labels[key]
    if not live:
        return
    finalizers = meta.get("finalizers")
    if isinstance(finalizers, list):
        declared = set(map(str, tmeta.get("finalizers") or ())) if isinstance(tmeta.get("finalizers"), list) else set()
        kept = [f for f in finalizers if not (isinstance(f, str) and f in defaults.controller_finalizers and f not in declared)]
        if kept:
            meta["finalizers"] = kept
        else:
            del meta["finalizers"]
    owners = meta.get("ownerReferences")
    if isinstance(owners, list) and not tmeta.get("ownerReferences"):
        kept = [o for o in owners if not (isinstance(o, dict) and o.get("kind") in defaults.controller_owner_kinds)]
        if kept:
            meta["ownerReferences"] = kept
        else:
            del meta["ownerReferences"]


# --------------------------------------------------------------------------- layer 2


_DIGEST = re.compile(r"@sha256:[0-9a-fA-F]+$")


def image_pull_policy(image: Any) -> str | None:
    """The policy the API server defaults for ``image``: Always for ``:latest``
    or no tag (and no digest), else IfNotPresent."""
    if not isinstance(image, str) or not image:
        return None
    if "@" in image:
        return "IfNotPresent"
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return "Always"
    return "Always" if last.rsplit(":", 1)[1] == "latest" else "IfNotPresent"


@dataclass
class _Ctx:
    defaults: Defaults
    root: dict  # the live object
    pruned: list[tuple] | None


def _same(a: Any, b: Any) -> bool:
    return canonical(a) == canonical(b)


def _matches(rule: dict, value: Any, parent: dict, tparent: Any, ctx: _Ctx) -> bool:
    if "default" in rule:
        return _same(value, rule["default"]) or (empty(rule["default"]) and empty(value))
    if rule.get("any"):
        return True
    op = rule.get("op")
    if op == "image_pull_policy":
        images = [parent.get("image")]
        if isinstance(tparent, dict):
            images.append(tparent.get("image"))
        return value in {image_pull_policy(i) for i in images} - {None}
    if op in ("same_as", "mirror"):
        other = parent.get(str(rule.get("field")))
        return other is not None and int_or_string(other) == int_or_string(value)
    if op == "policy_types":
        source = tparent if isinstance(tparent, dict) else parent
        expected = ["Ingress"] + (["Egress"] if source.get("egress") else [])
        return isinstance(value, list) and sorted(map(str, value)) == sorted(expected)
    if op == "equals_name":
        meta = ctx.root.get("metadata")
        return isinstance(meta, dict) and value == meta.get("name")
    return False


def _token_secrets(value: Any, ctx: _Ctx) -> Any:
    """A ServiceAccount's ``secrets`` without the token controller's entries."""
    meta = ctx.root.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    if not isinstance(value, list) or not isinstance(name, str):
        return value
    token = re.compile(re.escape(name) + r"-token-[a-z0-9]{5}")
    return [s for s in value if not (isinstance(s, dict) and isinstance(s.get("name"), str) and token.fullmatch(s["name"]))]


def _block_default(defaults: Defaults, blocks: list[str], key: str) -> Any:
    for name in blocks:
        child = defaults.blocks.get(name, _Node()).children.get(key)
        if child is not None and child.rule and "default" in child.rule:
            return child.rule["default"]
    return None


def _prune(live: Any, tmpl: Any, node: _Node, path: tuple, ctx: _Ctx) -> None:
    if not isinstance(live, dict):
        return
    tmpl = tmpl if isinstance(tmpl, dict) else None
    for name in node.blocks:
        block = ctx.defaults.blocks.get(name)
        if block is not None:
            _prune(live, tmpl, block, path, ctx)
    for key, child in node.children.items():
        if key not in live:
            continue
        t_has = tmpl is not None and key in tmpl
        t_val = tmpl.get(key) if tmpl is not None else None
        rule = child.rule
        if rule is not None and not t_has:
            if rule.get("op") == "service_account_token_secrets":
                kept = _token_secrets(live[key], ctx)
                if kept != live[key]:
                    _record(ctx, path + (key,))
                    if kept:
                        live[key] = kept
                    else:
                        del live[key]
                        continue
            elif _matches(rule, live[key], live, tmpl, ctx):
                del live[key]
                _record(ctx, path + (key,))
                continue
        value = live[key]
        if child.items and isinstance(value, list):
            _prune_items(value, t_val if isinstance(t_val, list) else [], child.items, path + (key,), ctx)
        if (child.children or child.blocks) and isinstance(value, dict):
            _prune(value, t_val, child, path + (key,), ctx)
            if not value and not t_has:
                del live[key]


def _prune_items(live: list, tmpl: list, blocks: list[str], path: tuple, ctx: _Ctx) -> None:
    fields = _keyed(tuple(p for p in path if isinstance(p, str)))
    by_key: dict[str, Any] = {}
    if fields:
        for t in tmpl:
            if isinstance(t, dict):
                key = tuple(t[f] if f in t else _block_default(ctx.defaults, blocks, f) for f in fields)
                by_key.setdefault(canonical(key), t)
    for i, item in enumerate(live):
        if not isinstance(item, dict):
            continue
        if fields:
            match = by_key.get(canonical(tuple(item.get(f) for f in fields)))
        else:
            match = tmpl[i] if i < len(tmpl) else None
        for name in blocks:
            block = ctx.defaults.blocks.get(name)
            if block is not None:
                _prune(item, match, block, path + (i,), ctx)


def _record(ctx: _Ctx, path: tuple) -> None:
    if ctx.pruned is not None:
        ctx.pruned.append(path)


# --------------------------------------------------------------------------- layer 3


def _canonicalize(obj: dict) -> None:
    kind = obj.get("kind")
    if kind == "Secret" and isinstance(obj.get("stringData"), dict):
        _fold_string_data(obj)
    if kind in ("Role", "ClusterRole") and isinstance(obj.get("rules"), list):
        if kind == "ClusterRole" and obj.get("aggregationRule"):
            obj.pop("rules", None)  # filled by the aggregation controller
        else:
            obj["rules"] = [_canon_rule(r) for r in obj["rules"]]
    if kind in ("RoleBinding", "ClusterRoleBinding") and isinstance(obj.get("subjects"), list):
        obj["subjects"] = [_canon_subject(s) for s in obj["subjects"]]
    spec = obj.get("spec")
    if kind == "NetworkPolicy" and isinstance(spec, dict):
        for direction, peers in (("ingress", "from"), ("egress", "to")):
            if isinstance(spec.get(direction), list):
                spec[direction] = [_canon_np_rule(r, peers) for r in spec[direction]]


def _fold_string_data(obj: dict) -> None:
    """``stringData`` is write-only: the server stores it base64-encoded in
    ``data`` (a stringData key wins over the same data key, as on the server)."""
    data = obj.get("data") if isinstance(obj.get("data"), dict) else {}
    merged = dict(data)
    for key, value in obj.pop("stringData").items():
        text = value if isinstance(value, str) else ("" if value is None else str(value))
        merged[key] = base64.b64encode(text.encode("utf-8")).decode("ascii")
    obj["data"] = merged


def _canon_rule(rule: Any) -> Any:
    if not isinstance(rule, dict):
        return rule
    out = {}
    for key, value in rule.items():
        if empty(value):
            continue
        if key in _RULE_SET_FIELDS and isinstance(value, list):
            value = sorted(set(map(str, value)))
        out[key] = value
    return out


def _canon_subject(subject: Any) -> Any:
    if not isinstance(subject, dict):
        return subject
    out = {k: v for k, v in subject.items() if not empty(v)}
    if out.get("kind") in ("User", "Group") and "apiGroup" not in out:
        out["apiGroup"] = RBAC_GROUP
    return out


def _canon_np_rule(rule: Any, peers: str) -> Any:
    if not isinstance(rule, dict):
        return rule
    out: dict[str, Any] = {}
    for key, value in rule.items():
        if empty(value):
            continue  # from: [] / ports: [] mean "all", as absent does
        if key == "ports" and isinstance(value, list):
            value = sorted((_canon_np_port(p) for p in value), key=canonical)
        elif key == peers and isinstance(value, list):
            value = sorted(value, key=canonical)
        out[key] = value
    return out


def _canon_np_port(port: Any) -> Any:
    if not isinstance(port, dict):
        return port
    out = {k: v for k, v in port.items() if v is not None}
    out.setdefault("protocol", "TCP")
    if "port" in out:
        out["port"] = int_or_string(out["port"])
    return out


# --------------------------------------------------------------------------- public


def normalize_desired(obj: dict, *, ignore_replicas: bool = False, bookkeeping: Bookkeeping | None = None,
                      version: str | None = None) -> dict:
    """A manifest in comparable form (layers 1 and 3; the input is not changed)."""
    if not isinstance(obj, dict):
        return obj
    defaults = load_defaults(version)
    out = copy.deepcopy(obj)
    _drop_server_owned(out, None, defaults, bookkeeping or defaults.bookkeeping, None, live=False)
    _canonicalize(out)
    _open_maps(out)
    if ignore_replicas:
        _drop_replicas(out)
    return out


def _open_maps(obj: dict) -> None:
    """Empty ``labels``/``annotations`` maps where the manifest has none, so a
    label or annotation added in live is reported by its own key."""
    metas = [obj.get("metadata")]
    spec = obj.get("spec")
    for path in (("template",), ("jobTemplate", "spec", "template")):
        node: Any = spec
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict):
            metas.append(node.get("metadata"))
    for meta in metas:
        if isinstance(meta, dict):
            for key in ("labels", "annotations"):
                if meta.get(key) is None:
                    meta[key] = {}


def normalize_live(obj: dict, template: dict | None, *, namespace: str | None = None,
                   version: str | None = None, ignore_replicas: bool = False,
                   bookkeeping: Bookkeeping | None = None, pruned: list[tuple] | None = None) -> dict:
    """A live object in comparable form: server-owned fields dropped, defaults
    pruned where ``template`` (the raw manifest; None = no manifest) leaves the
    field out, canonical forms.  ``namespace`` is the namespace a manifest
    without one lands in; ``pruned`` collects the paths of pruned defaults."""
    if not isinstance(obj, dict):
        return obj
    defaults = load_defaults(version)
    book = bookkeeping or defaults.bookkeeping
    tmpl = None
    if isinstance(template, dict):
        tmpl = copy.deepcopy(template)
        _drop_server_owned(tmpl, None, defaults, book, None, live=False)
    out = copy.deepcopy(obj)
    _drop_server_owned(out, tmpl, defaults, book, namespace, live=True)
    node = defaults.kinds.get(str(out.get("kind")))
    if node is not None:
        _prune(out, tmpl, node, (), _Ctx(defaults, out, pruned))
    _canonicalize(out)
    if ignore_replicas:
        _drop_replicas(out)
    return out


def _drop_replicas(obj: dict) -> None:
    spec = obj.get("spec")
    if isinstance(spec, dict):
        spec.pop("replicas", None)
