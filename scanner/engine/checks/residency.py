"""Data residency: where Terraform places providers and resources.

Region names are compared case-insensitively and without spaces or
underscores, so Azure's "West Europe" and "westeurope" are the same region.
With no ``allowed_regions`` parameter (the default pack) the check is inert.
"""
from __future__ import annotations

from collections.abc import Iterator

from scanner.engine.checks.common import CheckFn
from scanner.engine.checks.common import Context
from scanner.engine.checks.common import Hit
from scanner.model import Resource

# attributes that place a resource (AWS provider v6 adds a per-resource region)
PLACEMENT_ATTRIBUTES = ("region", "location")
# not resources of their own: data sources read, modules call, terraform configures
SKIPPED_TYPES = ("module", "terraform")


def _norm(value: str) -> str:
    return value.lower().replace(" ", "").replace("_", "")


def region_outside_allowed(resource: Resource, ctx: Context, params: dict) -> Iterator[Hit]:
    allowed = {_norm(str(r)) for r in params.get("allowed_regions") or []}
    if not allowed or resource.type in SKIPPED_TYPES or resource.type.startswith("data."):
        return
    for attr in PLACEMENT_ATTRIBUTES:
        value = resource.attributes.get(attr)
        if isinstance(value, str) and value and _norm(value) not in allowed:
            yield (attr,), f"{attr} {value!r} is not in allowed_regions"
            return


CHECKS: dict[str, CheckFn] = {"region_outside_allowed": region_outside_allowed}
