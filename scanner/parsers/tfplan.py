"""``terraform show -json`` plan output → resources in the Terraform schema.

Resources come from ``planned_values`` (root and child modules), with
attributes Terraform reports as "known after apply" (``after_unknown``) set to
``Unknown`` so a rule never mistakes a computed value for a missing one.  Each
resource points at the plan line that carries its address.
"""
from __future__ import annotations

import json
from typing import Any

from scanner.errors import ParseError
from scanner.model import Resource
from scanner.model import Unknown

FORMAT = "tfplan"


def sniff(text: str) -> bool:
    head = text[:4096]
    return '"format_version"' in head and any(k in text for k in ('"planned_values"', '"resource_changes"', '"resource_drift"'))


def parse(text: str, file: str) -> list[Resource]:
    try:
        plan = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"invalid JSON: {exc}", getattr(exc, "lineno", None)) from None
    if not isinstance(plan, dict):
        raise ParseError("plan JSON is not an object", 1)
    unknown_masks = {}
    for change in plan.get("resource_changes") or []:
        if isinstance(change, dict) and isinstance(change.get("change"), dict):
            unknown_masks[change.get("address")] = change["change"].get("after_unknown")
    line_of = _address_lines(text)
    out: list[Resource] = []
    root = (plan.get("planned_values") or {}).get("root_module") or {}
    for res in _module_resources(root):
        address = str(res.get("address", ""))
        values = res.get("values") if isinstance(res.get("values"), dict) else {}
        values = _apply_unknown(values, unknown_masks.get(address))
        rtype = str(res.get("type", ""))
        if res.get("mode") == "data":
            rtype = f"data.{rtype}"
        line = line_of.get(address, 1)
        out.append(Resource(FORMAT, "terraform", rtype, address, file, line, line, values, {}, (), {}, file))
    return out


def _module_resources(module: dict):
    for res in module.get("resources") or []:
        if isinstance(res, dict):
            yield res
    for child in module.get("child_modules") or []:
        if isinstance(child, dict):
            yield from _module_resources(child)


def _apply_unknown(values: Any, mask: Any) -> Any:
    if mask is True:
        return Unknown("known after apply")
    if isinstance(mask, dict) and isinstance(values, dict):
        out = dict(values)
        for key, sub in mask.items():
            out[key] = _apply_unknown(values.get(key), sub)
        return out
    if isinstance(mask, list) and isinstance(values, list):
        return [_apply_unknown(v, mask[i]) if i < len(mask) else v for i, v in enumerate(values)]
    return values


def _address_lines(text: str) -> dict[str, int]:
    """First line of each ``"address": "..."`` in the planned_values section."""
    out: dict[str, int] = {}
    start = text.find('"planned_values"')
    if start < 0:
        return out
    line = text.count("\n", 0, start) + 1
    pos = start
    needle = '"address"'
    while True:
        nxt = text.find(needle, pos)
        if nxt < 0:
            break
        line += text.count("\n", pos, nxt)
        pos = nxt + len(needle)
        quote = text.find('"', pos)
        end = text.find('"', quote + 1)
        if quote < 0 or end < 0:
            break
        out.setdefault(text[quote + 1 : end], line)
    return out
