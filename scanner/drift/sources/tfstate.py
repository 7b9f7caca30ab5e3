"""Drift source for a raw Terraform state file (``terraform.tfstate``, version 4).

A state is Terraform's *last known* record of every managed object, not a
refreshed view of the cloud (shared/docs/drift.md sections 1 and 4): the
snapshot says so in ``properties["last_known"]``.  Comparing it with the HCL
templates finds literal attributes that differ and objects the templates no
longer declare (unmanaged).

Reading follows Terraform's own v4 reader: ``version`` must be 4, unknown keys
are ignored, data sources are skipped, ``module`` and ``index_key`` build the
address, deposed objects are left out (with a diagnostic), tainted ones kept
with a note, 0.11-era ``attributes_flat`` is rebuilt into nested values,
DynamicPseudoType attributes stored as ``{"value": ..., "type": ...}`` are
unwrapped, and every ``sensitive_attributes`` path becomes a redaction prefix.
A broken resource entry is a ``Diagnostic``; the rest is still read.  No
message ever contains an attribute value.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any

from scanner.drift.compare import DiffSpec
from scanner.drift.compare import diff
from scanner.drift.compare import pointer_escape
from scanner.drift.sources.files import read_live_file
from scanner.drift.model import ADDED_IN_LIVE
from scanner.drift.model import Change
from scanner.drift.model import LiveObject
from scanner.drift.model import Snapshot
from scanner.drift.normalize.terraform import ignored_attributes
from scanner.drift.normalize.terraform import with_security_defaults
from scanner.drift.normalize.terraform import SET_ATTRIBUTES
from scanner.drift.normalize.terraform import TEMPLATE_SPEC
from scanner.drift.normalize.terraform import strip_noise
from scanner.errors import ParseError
from scanner.model import Diagnostic
from scanner.model import Resource
from scanner.model import Unknown
from scanner.model import format_path

SOURCE = "terraform-state"
MAX_STATE_BYTES = 1 << 30  # 1 GiB: far above real states, below "read the disk into memory"
MAX_DEPTH = 100  # nesting of one instance's attributes; provider schemas stay far below
MAX_FLAT_SEGMENTS = 32  # dotted segments of one 0.11 flatmap key

# meta-arguments and blocks of a resource body that are not provider attributes
META_ARGUMENTS = frozenset({
    "count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection", "timeouts",
})
# template types that are not managed resources
_NOT_RESOURCES = frozenset({"provider", "module", "terraform", "variable", "output", "locals"})
# map attributes the template declares whole: a key only in live is drift
_WHOLE_MAPS = frozenset({"tags"})
# DynamicPseudoType attributes whose copy Terraform does not mark sensitive
_MIRRORED_SENSITIVE = {"terraform_data": ("input", "output")}

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_MODULE_STEP = re.compile(r'module\.([A-Za-z_][A-Za-z0-9_-]*)(\[(?:-?\d+|"(?:[^"\\]|\\.)*")\])?')
_PROVIDER = re.compile(r'provider\["(?:[^"]*/)?([^"/]+)"\](?:\.([A-Za-z0-9_-]+))?$')
_LEGACY_PROVIDER = re.compile(r"provider\.([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_-]+))?$")
_NUMBER = re.compile(r"^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$")
_PRIMITIVE_TYPES = {"string": str, "number": (int, float), "bool": bool}


class _Bad(Exception):
    """One resource entry or instance that cannot be read (reason has no values)."""


class TerraformStateSource:
    """Live side read from a ``terraform.tfstate`` (v4); see the module docstring."""

    name = SOURCE
    schema = "terraform"

    def load(self, spec: str, templates: list[Resource]) -> Snapshot:
        snapshot = read_state(read_live_file(spec, MAX_STATE_BYTES), spec)
        state_keys = {obj.key for obj in snapshot.objects}
        snapshot.inspected = self._inspected(templates, state_keys)
        return snapshot

    def template_key(self, resource: Resource) -> str | None:
        if resource.schema != "terraform" or not resource.type or resource.type.startswith("data."):
            return None
        if resource.type in _NOT_RESOURCES or resource.type.startswith("__"):
            return None
        parts = resource.name.split(".")
        if len(parts) < 2 or parts[-2] != resource.type or parts[0] == "data":
            return None
        return resource.name

    def compare(self, template: Resource | None, obj: LiveObject) -> list[Change]:
        if template is None or not isinstance(obj.attributes, dict) or not isinstance(template.attributes, dict):
            return []
        return compare_attributes(template.attributes, obj.attributes, template.type)

    def _inspected(self, templates: list[Resource], state_keys: set[str]) -> set[str]:
        """Template keys this state could have recorded.

        A state belongs to one root module: templates of a module directory
        (or module call) the state knows nothing about belong to another root
        or were never applied, and are not reported missing."""
        groups: dict[str, set[str]] = {}
        for res in templates:
            key = self.template_key(res)
            if key is not None:
                groups.setdefault(res.group, set()).add(key)
        out: set[str] = set()
        for keys in groups.values():
            if keys & state_keys:
                out |= keys
        return out


# ---- reading ----------------------------------------------------------------
def read_state(text: str, file: str = "terraform.tfstate") -> Snapshot:
    """Every managed resource instance of a v4 state as a ``LiveObject``."""
    try:
        state = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError("not a Terraform state: invalid JSON", exc.lineno) from None
    except (ValueError, RecursionError):
        raise ParseError("not a Terraform state: invalid or too deeply nested JSON", None) from None
    if not isinstance(state, dict):
        raise ParseError("not a Terraform state: the top level is not a JSON object", 1)
    if "version" not in state:
        raise ParseError("not a Terraform state: no 'version' key", 1)
    version = state["version"]
    if version != 4 or isinstance(version, bool):
        shown = str(version) if isinstance(version, int) and not isinstance(version, bool) else "that is not a number"
        raise ParseError(f"unsupported Terraform state version {shown}: only version 4 (Terraform 0.12 and later) "
                         "is read; upgrade it with a current Terraform ('terraform state pull')", 1)
    resources = state.get("resources", [])
    if resources is None:
        resources = []
    if not isinstance(resources, list):
        raise ParseError("not a Terraform state: 'resources' is not a list", 1)
    objects: list[LiveObject] = []
    diagnostics: list[Diagnostic] = []
    providers: set[str] = set()
    for i, entry in enumerate(resources):
        try:
            objs, notes, provider = _read_resource(entry, file)
        except _Bad as exc:
            diagnostics.append(Diagnostic(file, None, f"resources[{i}]: {exc}; entry skipped", "warning"))
            continue
        except RecursionError:
            diagnostics.append(Diagnostic(file, None, f"resources[{i}]: nested too deeply; entry skipped", "warning"))
            continue
        objects.extend(objs)
        if objs and provider:
            providers.add(provider)
        diagnostics.extend(Diagnostic(file, None, f"resources[{i}]: {note}", "warning") for note in notes)
    objects.sort(key=lambda o: (o.key, o.address))
    # provider configurations (with aliases): the account/region scopes a live reader must use
    properties: dict[str, Any] = {"last_known": True, "state_version": 4, "resources": len(objects),
                                  "providers": sorted(providers)}
    for key in ("terraform_version", "serial", "lineage"):
        value = state.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            properties[key] = value
    return Snapshot(objects=objects, diagnostics=sorted(diagnostics, key=Diagnostic.sort_key), properties=properties)


def _read_resource(entry: Any, file: str) -> tuple[list[LiveObject], list[str], str]:
    if not isinstance(entry, dict):
        raise _Bad("not an object")
    mode = entry.get("mode")
    if mode == "data":
        return [], [], ""
    if mode != "managed":
        raise _Bad("unsupported resource mode")
    rtype, name = entry.get("type"), entry.get("name")
    if not isinstance(rtype, str) or not _NAME.match(rtype) or not isinstance(name, str) or not _NAME.match(name):
        raise _Bad("missing or invalid resource type or name")
    module_addr, module_key = parse_module(entry.get("module"))
    base = f"{module_addr}.{rtype}.{name}" if module_addr else f"{rtype}.{name}"
    key = f"{module_key}.{rtype}.{name}" if module_key else f"{rtype}.{name}"
    instances = entry.get("instances", [])
    if not isinstance(instances, list):
        raise _Bad(f"{base}: 'instances' is not a list")
    objects, notes = [], []
    for n, inst in enumerate(instances):
        try:
            obj = _read_instance(inst, rtype, key, base, file, notes)
        except _Bad as exc:
            notes.append(f"{base} instance {n}: {exc}; instance skipped")
            continue
        if obj is not None:
            objects.append(obj)
    return objects, notes, provider_name(entry.get("provider"))


def _read_instance(inst: Any, rtype: str, key: str, base: str, provenance: str, notes: list[str]) -> LiveObject | None:
    if not isinstance(inst, dict):
        raise _Bad("not an object")
    address = base + index_suffix(inst.get("index_key"))
    if inst.get("deposed"):
        notes.append(f"{address}: deposed object (pending destroy after a create_before_destroy "
                     "replacement) left out of the comparison")
        return None
    remarks = []
    status = inst.get("status") or ""
    if status == "tainted":
        remarks.append("tainted: Terraform will replace it on the next apply")
    elif status:
        raise _Bad("unsupported status")
    raw_sensitive = inst.get("sensitive_attributes")
    if "attributes" in inst and inst["attributes"] is not None:
        attributes = inst["attributes"]
        if not isinstance(attributes, dict):
            raise _Bad("'attributes' is not an object")
        if not _depth_ok(attributes, MAX_DEPTH):
            raise _Bad("attributes nested too deeply")
        attributes = unwrap_dynamic(attributes)
    elif isinstance(inst.get("attributes_flat"), dict):
        attributes = unflatten(inst["attributes_flat"])
        remarks.append("rebuilt from a Terraform 0.11 flat attribute map: values are untyped strings")
    elif inst.get("attributes_flat") is not None:
        raise _Bad("'attributes_flat' is not an object")
    else:
        attributes = {}
    try:
        sensitive = sensitive_paths(raw_sensitive)
    except _Bad:
        notes.append(f"{address}: unreadable sensitive_attributes; every attribute is treated as sensitive")
        sensitive = tuple((name,) for name in sorted(attributes, key=str))
    if () in sensitive:  # a path we could not follow past its first step: hide every attribute
        sensitive = tuple((name,) for name in sorted(attributes, key=str))
    sensitive = _mirror_sensitive(rtype, sensitive)
    native = attributes.get("id") or attributes.get("arn") or ""
    return LiveObject(
        source=SOURCE,
        schema="terraform",
        type=rtype,
        key=key,
        address=address,
        native_id=str(native) if isinstance(native, (str, int)) and not isinstance(native, bool) else "",
        attributes=attributes,
        sensitive=sensitive,
        provenance=provenance,
        note="; ".join(remarks),
    )


def parse_module(module: Any) -> tuple[str, str]:
    """(module address with instance keys, match key without them) of a
    state entry's ``module``: ``module.a[0].module.b`` -> ``module.a.module.b``."""
    if module is None or module == "":
        return "", ""
    if not isinstance(module, str):
        raise _Bad("invalid module address")
    names, pos = [], 0
    while pos < len(module):
        match = _MODULE_STEP.match(module, pos)
        if not match:
            raise _Bad("invalid module address")
        names.append(match.group(1))
        pos = match.end()
        if pos < len(module):
            if module[pos] != ".":
                raise _Bad("invalid module address")
            pos += 1
            if pos == len(module):
                raise _Bad("invalid module address")
    return module, ".".join(f"module.{n}" for n in names)


def index_suffix(index_key: Any) -> str:
    """``[0]`` for a count index, ``["a"]`` for a for_each key, "" for none."""
    if index_key is None:
        return ""
    if isinstance(index_key, bool):
        raise _Bad("invalid index_key")
    if isinstance(index_key, float) and index_key.is_integer():
        index_key = int(index_key)
    if isinstance(index_key, int):
        return f"[{index_key}]"
    if isinstance(index_key, str):
        return f"[{json.dumps(index_key, ensure_ascii=False)}]"
    raise _Bad("invalid index_key")


def provider_name(provider: Any) -> str:
    """``aws`` or ``aws.west`` (with its alias) from a state entry's provider
    configuration string; "" when it cannot be read."""
    if not isinstance(provider, str):
        return ""
    match = _PROVIDER.search(provider) or _LEGACY_PROVIDER.search(provider)
    if not match:
        return ""
    return match.group(1) + (f".{match.group(2)}" if match.group(2) else "")


def _depth_ok(value: Any, limit: int) -> bool:
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return True


# ---- sensitive paths ----------------------------------------------------------
def sensitive_paths(raw: Any) -> tuple[tuple, ...]:
    """Path prefixes from ``sensitive_attributes``: a list of cty paths, each
    a list of ``{"type": "get_attr", "value": "password"}`` and
    ``{"type": "index", "value": {"value": 0, "type": "number"}}`` steps (the
    index value may also be bare).  A step of an unknown type ends the path
    there, so the prefix covers more, never less."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _Bad("invalid sensitive_attributes")
    out: set[tuple] = set()
    for steps in raw:
        if not isinstance(steps, list):
            raise _Bad("invalid sensitive_attributes")
        path: list = []
        for step in steps:
            part = _step(step)
            if part is None:
                break
            path.append(part)
        out.add(tuple(path))
    return tuple(sorted(out, key=lambda p: [(isinstance(x, int), str(x)) for x in p]))


def _step(step: Any) -> str | int | None:
    if not isinstance(step, dict):
        raise _Bad("invalid sensitive_attributes")
    kind, value = step.get("type"), step.get("value")
    if kind == "get_attr":
        if not isinstance(value, str):
            raise _Bad("invalid sensitive_attributes")
        return value
    if kind == "index":
        if isinstance(value, dict) and "value" in value:
            value = value["value"]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, (int, str)) and not isinstance(value, bool):
            return value
        return None  # an index we cannot express: the prefix so far
    return None


def _mirror_sensitive(rtype: str, paths: tuple[tuple, ...]) -> tuple[tuple, ...]:
    """``terraform_data.output`` copies ``input`` but is stored unmarked."""
    pair = _MIRRORED_SENSITIVE.get(rtype)
    if not pair:
        return paths
    src, dst = pair
    extra = {(dst,) + p[1:] for p in paths if p and p[0] == src}
    if not extra:
        return paths
    return tuple(sorted(set(paths) | extra, key=lambda p: [(isinstance(x, int), str(x)) for x in p]))


# ---- DynamicPseudoType and flatmap -------------------------------------------
def unwrap_dynamic(attributes: dict) -> dict:
    """Top-level attributes stored as ``{"value": v, "type": <cty type>}``
    (DynamicPseudoType, e.g. ``terraform_data.input``) replaced by ``v``, as
    ``terraform show -json`` does; only when ``v`` fits the type."""
    out = {}
    for name, value in attributes.items():
        if isinstance(value, dict) and set(value) == {"value", "type"} and _fits(value["value"], value["type"]):
            out[name] = value["value"]
        else:
            out[name] = value
    return out


def _fits(value: Any, ctype: Any) -> bool:
    if not _is_cty_type(ctype, 0):
        return False
    if value is None or ctype == "dynamic":
        return True
    if isinstance(ctype, str):
        expected = _PRIMITIVE_TYPES[ctype]
        return isinstance(value, expected) and (ctype == "bool" or not isinstance(value, bool))
    kind = ctype[0]
    if kind in ("object", "map"):
        return isinstance(value, dict)
    return isinstance(value, list)


def _is_cty_type(ctype: Any, depth: int) -> bool:
    if depth > MAX_DEPTH:
        return False
    if isinstance(ctype, str):
        return ctype in _PRIMITIVE_TYPES or ctype == "dynamic"
    if not isinstance(ctype, list) or len(ctype) < 2 or not isinstance(ctype[0], str):
        return False
    kind, inner = ctype[0], ctype[1]
    if kind in ("list", "set", "map") and len(ctype) == 2:
        return _is_cty_type(inner, depth + 1)
    if kind == "object" and len(ctype) in (2, 3) and isinstance(inner, dict):
        return all(_is_cty_type(t, depth + 1) for t in inner.values())
    if kind == "tuple" and len(ctype) == 2 and isinstance(inner, list):
        return all(_is_cty_type(t, depth + 1) for t in inner)
    return False


def unflatten(flat: dict) -> dict:
    """Nested attributes from a 0.11 flatmap (``"ingress.#": "1"``,
    ``"ingress.123.from_port": "22"``, ``"tags.%": "1"``, ``"tags.Name": "x"``).
    Best effort: values stay strings; set elements come in hash order."""
    items = {}
    for k, v in flat.items():
        if not isinstance(k, str) or k.count(".") >= MAX_FLAT_SEGMENTS:
            raise _Bad("invalid attributes_flat key")
        if not isinstance(v, str):
            raise _Bad("invalid attributes_flat value")
        items[k] = v
    return _unflatten_level(items)


def _unflatten_level(items: dict[str, str]) -> dict:
    out: dict[str, Any] = {}
    heads: dict[str, dict[str, str]] = {}
    for k, v in items.items():
        if "." not in k:
            out[k] = v
        else:
            head, rest = k.split(".", 1)
            heads.setdefault(head, {})[rest] = v
    for head, sub in heads.items():
        if "%" in sub:  # a map: the rest of the key is the map key, dots included
            out[head] = {k: v for k, v in sorted(sub.items()) if k != "%"}
        elif "#" in sub or all(k.split(".", 1)[0].lstrip("-").isdigit() for k in sub):
            out[head] = _unflatten_list({k: v for k, v in sub.items() if k != "#"})
        else:
            out[head] = _unflatten_level(sub)
        out.pop(head + ".%", None)
    return out


def _unflatten_list(sub: dict[str, str]) -> list:
    elements: dict[str, dict[str, str]] = {}
    scalars: dict[str, str] = {}
    for k, v in sub.items():
        if "." in k:
            idx, rest = k.split(".", 1)
            elements.setdefault(idx, {})[rest] = v
        else:
            scalars[k] = v
    order = sorted(set(elements) | set(scalars), key=lambda s: (not s.lstrip("-").isdigit(), int(s) if s.lstrip("-").isdigit() else 0, s))
    return [scalars[i] if i in scalars else _unflatten_level(elements[i]) for i in order]


# ---- comparing a template with a state instance ----------------------------------
def compare_attributes(template: dict, live: dict, rtype: str = "") -> list[Change]:
    """Changes between a template body and a state instance: only what the
    template sets (subset), after dropping meta-arguments and attributes named
    in ``lifecycle.ignore_changes``, converting template literals the way
    Terraform does (``"443"`` for a number attribute), and sorting set-typed
    lists nested in set elements; tags the template does not declare are
    ``added_in_live``."""
    ignored = ignored_attributes(template)
    if ignored is None:
        return []
    desired = {k: v for k, v in with_security_defaults(rtype, template).items() if k not in META_ARGUMENTS and k not in ignored}
    desired = strip_noise(_drop_dynamic(desired))
    live_view = strip_noise(live)
    types: dict[tuple, set[str]] = {}
    _live_types(live_view, (), types)
    desired = _coerce(desired, (), types)
    desired = _sort_nested_sets(desired, ())
    live_view = _sort_nested_sets(live_view, ())
    changes = diff(desired, live_view, _SPEC)
    for name in sorted(_WHOLE_MAPS & set(desired)):
        want, have = desired[name], live_view.get(name)
        if isinstance(want, dict) and isinstance(have, dict):
            for tag in sorted(set(have) - set(want), key=str):
                changes.append(Change(ADDED_IN_LIVE, (name, tag), None, have[tag], f"/{name}/{pointer_escape(tag)}"))
    return sorted(changes, key=lambda c: (format_path(c.path), c.kind))


def _drop_dynamic(value: Any) -> Any:
    """A ``dynamic "x"`` block parses as one templated element referring to
    ``x.value``/``x.key``; its expansion is unknown, so the list is too."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if isinstance(v, list) and any(isinstance(e, dict) and _refers_to(e, str(k)) for e in v):
                out[k] = Unknown(f"dynamic {k}")
            else:
                out[k] = _drop_dynamic(v)
        return out
    if isinstance(value, list):
        return [_drop_dynamic(v) for v in value]
    return value


def _refers_to(value: Any, name: str) -> bool:
    if isinstance(value, Unknown):
        return re.search(rf"(?<![\w.]){re.escape(name)}\.(?:value|key)\b", value.expr) is not None
    if isinstance(value, dict):
        return any(_refers_to(v, name) for v in value.values())
    if isinstance(value, list):
        return any(_refers_to(v, name) for v in value)
    return False


def _kind(value: Any) -> str | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return None


def _live_types(value: Any, path: tuple, out: dict[tuple, set[str]]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _live_types(v, path + (k,), out)
    elif isinstance(value, list):
        for v in value:
            _live_types(v, path, out)
    else:
        kind = _kind(value)
        if kind:
            out.setdefault(path, set()).add(kind)


def _coerce(value: Any, path: tuple, types: dict[tuple, set[str]]) -> Any:
    """Template literals converted to the type live holds at the same schema
    path, as Terraform converts them (``"443"`` -> 443, ``true`` -> "true")."""
    if isinstance(value, dict):
        return {k: _coerce(v, path + (k,), types) for k, v in value.items()}
    if isinstance(value, list):
        return [_coerce(v, path, types) for v in value]
    kinds = types.get(path)
    if not kinds or len(kinds) != 1:
        return value
    (want,) = kinds
    have = _kind(value)
    if have is None or have == want:
        return value
    if want == "number" and have == "string" and _NUMBER.match(value.strip()):
        number = float(value)
        if math.isfinite(number):
            return int(number) if number.is_integer() and re.match(r"^-?\d+$", value.strip()) else number
    elif want == "bool" and have == "string" and value in ("true", "false"):
        return value == "true"
    elif want == "string" and have == "bool":
        return "true" if value else "false"
    elif want == "string" and have == "number":
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return value


def _sort_nested_sets(value: Any, path: tuple, inside_set: bool = False) -> Any:
    """Set-typed lists of scalars nested in a set element, sorted: the
    multiset compare of the outer set sees whole elements."""
    if isinstance(value, dict):
        return {k: _sort_nested_sets(v, path + (k,), inside_set) for k, v in value.items()}
    if isinstance(value, list):
        is_set = bool(path) and path[-1] in SET_ATTRIBUTES
        items = [_sort_nested_sets(v, path, inside_set or is_set) for v in value]
        if inside_set and is_set and items and all(_kind(v) == _kind(items[0]) and _kind(v) for v in items):
            items = sorted(items, key=lambda v: (str(type(v)), v))
        return items
    return value


_SPEC: DiffSpec = TEMPLATE_SPEC

__all__ = [
    "META_ARGUMENTS", "TerraformStateSource", "compare_attributes", "index_suffix",
    "parse_module", "provider_name", "read_state", "sensitive_paths", "unflatten", "unwrap_dynamic",
]
