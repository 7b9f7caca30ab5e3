"""Drift from a Terraform plan (``terraform show -json`` of a normal or a
``-refresh-only`` plan): what changed outside Terraform, attribute by attribute.

Groundwork for issue 5 (``zerodrift drift``), not yet wired to the CLI.
Follows shared/docs/drift.md section 3: ``resource_drift`` holds the changes
found by refresh (``before`` = last applied, ``after`` = live; ``after: null``
= deleted out of band); a missing key means no drift. The streaming
``terraform plan -json`` log is rejected with a clear message. Sensitive
values (``before_sensitive``/``after_sensitive`` masks, and names like
password/secret/token/private_key) are redacted before anything leaves this
module.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from scanner.errors import ParseError

REDACTED = "[REDACTED]"
SENSITIVE_NAME = re.compile(r"(?i)passw|secret|token|private_?key|api_?key|access_?key|credential")
# Terraform-computed attributes that change without anyone changing anything
COMPUTED_NOISE = {"tags_all", "last_modified", "etag", "version_id", "latest_version"}
# set-typed attributes compared without order (provider schemas mark them; this is the built-in list)
SET_ATTRIBUTES = {"ingress", "egress", "cidr_blocks", "ipv6_cidr_blocks", "security_groups", "prefix_list_ids", "subnet_ids"}


@dataclass(frozen=True)
class AttributeChange:
    path: tuple
    desired: Any  # last applied (redacted)
    live: Any  # refreshed (redacted)


@dataclass(frozen=True)
class DriftItem:
    address: str
    type: str
    name: str
    module: str
    kind: str  # changed | missing
    changes: tuple[AttributeChange, ...]


def read(text: str) -> list[DriftItem]:
    """Drift items of a plan rendered by ``terraform show -json``."""
    stripped = text.lstrip()
    if stripped.startswith("{") and '"@level"' in stripped.split("\n", 1)[0]:
        raise ParseError("this is the streaming 'terraform plan -json' log, which has no attribute values; "
                         "save the plan (-out=p) and render it with 'terraform show -json p'", 1)
    try:
        plan = json.loads(text)
    except ValueError as exc:
        raise ParseError(f"invalid JSON: {exc}", getattr(exc, "lineno", None)) from None
    if not isinstance(plan, dict) or "format_version" not in plan:
        raise ParseError("not a Terraform plan: no format_version", 1)
    items = []
    for entry in plan.get("resource_drift") or []:
        if not isinstance(entry, dict) or entry.get("mode", "managed") != "managed":
            continue
        change = entry.get("change") or {}
        before, after = change.get("before"), change.get("after")
        masks = (change.get("before_sensitive"), change.get("after_sensitive"))
        common = dict(address=str(entry.get("address", "")), type=str(entry.get("type", "")),
                      name=str(entry.get("name", "")), module=str(entry.get("module_address", "")))
        if after is None and "delete" in (change.get("actions") or []):
            items.append(DriftItem(**common, kind="missing", changes=()))
            continue
        diffs = tuple(
            AttributeChange(path, _redact(path, b, masks[0]), _redact(path, a, masks[1]))
            for path, b, a in diff(before or {}, after or {})
        )
        if diffs:
            items.append(DriftItem(**common, kind="changed", changes=diffs))
    return sorted(items, key=lambda i: (i.address, i.kind))


def diff(before: Any, after: Any, path: tuple = ()) -> list[tuple[tuple, Any, Any]]:
    """(path, before, after) for every leaf that differs; set-typed attributes are
    compared as multisets, other lists by index; computed noise is ignored."""
    if path and path[-1] in COMPUTED_NOISE:
        return []
    if isinstance(before, dict) and isinstance(after, dict):
        out = []
        for key in sorted(set(before) | set(after), key=str):
            out.extend(diff(before.get(key), after.get(key), path + (key,)))
        return out
    if isinstance(before, list) and isinstance(after, list):
        if path and path[-1] in SET_ATTRIBUTES:
            canon = lambda items: sorted(json.dumps(i, sort_keys=True, default=str) for i in items)  # noqa: E731
            return [] if canon(before) == canon(after) else [(path, before, after)]
        if len(before) != len(after):
            return [(path, before, after)]
        out = []
        for i, (b, a) in enumerate(zip(before, after)):
            out.extend(diff(b, a, path + (i,)))
        return out
    if _empty(before) and _empty(after):
        return []
    return [] if before == after else [(path, before, after)]


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


def _masked(path: tuple, mask: Any) -> bool:
    for key in path:
        if mask is True:
            return True
        if isinstance(mask, dict):
            mask = mask.get(key)
        elif isinstance(mask, list) and isinstance(key, int) and key < len(mask):
            mask = mask[key]
        else:
            return False
    return mask is True


def _redact(path: tuple, value: Any, mask: Any) -> Any:
    if _masked(path, mask) or any(isinstance(p, str) and SENSITIVE_NAME.search(p) for p in path):
        return REDACTED if value is not None else None
    return value
