"""Drift from a Terraform plan (``terraform show -json`` of a normal or a
``-refresh-only`` plan): what changed outside Terraform, attribute by attribute.

Follows shared/docs/drift.md section 3: ``resource_drift`` holds the changes
found by refresh (``before`` = last applied, ``after`` = live; ``after: null``
= deleted out of band); a missing key means no drift. Only drifted objects
are in a plan, so a template without a drift entry is in sync
(``Snapshot.drift_only``). The streaming ``terraform plan -json`` log is
rejected with a clear message. ``before_sensitive``/``after_sensitive``
masks become ``LiveObject.sensitive`` path prefixes (values are redacted when
reported). Set-typed attributes compare as multisets; computed noise such as
``tags_all`` is not drift.
"""
from __future__ import annotations

import json
from typing import Any

from scanner.drift.compare import diff
from scanner.drift.model import Change
from scanner.drift.model import LiveObject
from scanner.drift.model import Snapshot
from scanner.drift.normalize.terraform import PLAN_SPEC
from scanner.drift.normalize.terraform import TEMPLATE_SPEC
from scanner.drift.normalize.terraform import strip_instance_keys
from scanner.drift.normalize.terraform import strip_noise
from scanner.drift.sources.files import read_live_file
from scanner.errors import ParseError
from scanner.model import Resource

NAME = "terraform-plan"
NOT_OBJECTS = frozenset({"provider", "module", "terraform"})


def template_key(resource: Resource) -> str | None:
    """Terraform templates are matched by address without the instance index."""
    if resource.schema != "terraform" or resource.type in NOT_OBJECTS or resource.type.startswith("data."):
        return None
    return resource.name


def mask_paths(mask: Any, path: tuple = ()) -> list[tuple]:
    """Path prefixes of the ``true`` leaves of a ``*_sensitive`` mask."""
    if mask is True:
        return [path]
    if isinstance(mask, dict):
        return [p for key in sorted(mask, key=str) for p in mask_paths(mask[key], path + (key,))]
    if isinstance(mask, list):
        return [p for i, item in enumerate(mask) for p in mask_paths(item, path + (i,))]
    return []


def read(text: str, provenance: str = "") -> list[LiveObject]:
    """Drifted objects of a plan rendered by ``terraform show -json``."""
    stripped = text.lstrip()
    if stripped.startswith("{") and '"@level"' in stripped.split("\n", 1)[0]:
        raise ParseError("this is the streaming 'terraform plan -json' log, which has no attribute values; "
                         "save the plan (-out=p) and render it with 'terraform show -json p'", 1)
    try:
        plan = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"invalid JSON: {str(exc)[:80]}", getattr(exc, "lineno", None)) from None
    if not isinstance(plan, dict) or "format_version" not in plan:
        raise ParseError("not a Terraform plan: no format_version", 1)
    next_apply = _next_apply(plan)
    objects = []
    for entry in plan.get("resource_drift") or []:
        if not isinstance(entry, dict) or entry.get("mode", "managed") != "managed":
            continue
        if entry.get("deposed"):
            continue  # a deposed object (create_before_destroy leftover), not the current one
        change = entry.get("change") if isinstance(entry.get("change"), dict) else {}
        before, after = change.get("before"), change.get("after")
        rtype, name = str(entry.get("type", "")), str(entry.get("name", ""))
        module = strip_instance_keys(str(entry.get("module_address", "")))  # module.a[0] -> module.a: one template
        key = f"{module}.{rtype}.{name}" if module else f"{rtype}.{name}"
        sensitive = mask_paths(change.get("before_sensitive")) + mask_paths(change.get("after_sensitive"))
        deleted = after is None and "delete" in (change.get("actions") or [])
        before = strip_noise(before) if isinstance(before, dict) else {}
        after = None if deleted else (strip_noise(after) if isinstance(after, dict) else {})
        changes: list[Change] = [] if deleted else diff(before, after, PLAN_SPEC)
        if not deleted and not changes:
            continue  # only computed noise moved
        objects.append(LiveObject(
            source=NAME, schema="terraform", type=rtype, key=key, address=str(entry.get("address", key)),
            native_id=str((before or {}).get("id") or (before or {}).get("arn") or ""),
            attributes=after, desired=before, sensitive=tuple(sorted(set(sensitive), key=str)),
            provenance=provenance, changes=changes,
            note=f"moved from {entry['previous_address']}" if entry.get("previous_address") else "",
            next_apply=next_apply.get(str(entry.get("address", key)), ""),
        ))
    return sorted(objects, key=lambda o: o.address)


_ACTIONS = {
    ("update",): "the plan updates it in place back to the templates",
    ("create",): "the plan re-creates it",
    ("delete", "create"): "the plan replaces it (destroy, then create)",
    ("create", "delete"): "the plan replaces it (create, then destroy)",
    ("no-op",): "the plan leaves it as it is: the templates already match live, or lifecycle ignore_changes covers the attribute",
}


def _next_apply(plan: dict) -> dict[str, str]:
    """Address -> what ``terraform apply`` of this plan does to it, from
    ``resource_changes`` (absent from refresh-only plans)."""
    out = {}
    for change in plan.get("resource_changes") or []:
        if not isinstance(change, dict) or not isinstance(change.get("change"), dict):
            continue
        actions = tuple(str(a) for a in change["change"].get("actions") or ())
        text = _ACTIONS.get(actions)
        if text is None:
            continue
        paths = change["change"].get("replace_paths")
        if "replaces" in text and isinstance(paths, list) and paths:
            text += "; replacement forced by " + ", ".join(".".join(str(p) for p in path) for path in paths if isinstance(path, list))
        out[str(change.get("address", ""))] = text
    return out


class TerraformPlanSource:
    name = NAME
    schema = "terraform"

    def load(self, spec: str, templates: list[Resource]) -> Snapshot:
        text = read_live_file(spec)
        try:
            version = json.loads(text).get("terraform_version", "")
        except (ValueError, AttributeError, RecursionError):
            version = ""
        provenance = f"{spec} (terraform {version})" if version else spec
        return Snapshot(read(text, provenance), drift_only=True, properties={"terraform_version": version})

    def template_key(self, resource: Resource) -> str | None:
        return template_key(resource)

    def compare(self, template: Resource | None, obj: LiveObject) -> list[Change]:
        return diff(template.attributes if template else {}, obj.attributes, TEMPLATE_SPEC)
