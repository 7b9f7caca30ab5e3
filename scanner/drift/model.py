"""What every drift source produces and what the drift pipeline reports.

A source (``scanner/drift/sources/``) reads one live side -- a Terraform plan
or state, a Kubernetes export or API, an AWS account -- into ``LiveObject``s
keyed like the templates it is compared with, and says how to compare one
pair (``Source.compare``).  The pipeline (``scanner/drift/run.py``) matches
templates and live objects by key, grades every ``Change`` with the ZD-DRIFT
rules and the policy rules, and reports ``Finding``s carrying
``properties["drift"]``.

Values stay raw inside the pipeline (rules need them); redaction happens once,
where a drift becomes a Finding (``scanner/drift/redact.py``).
"""
from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import Protocol

from scanner.model import Diagnostic
from scanner.model import Resource

# kinds of drift (shared/docs/drift.md section 2)
CHANGED = "changed"  # both sides hold the attribute, with different values
ADDED_IN_LIVE = "added_in_live"  # live holds an attribute / list element the template does not
REMOVED_IN_LIVE = "removed_in_live"  # the template sets it, live does not have it
MISSING = "missing"  # the template declares the object, live has none (deleted out of band)
UNMANAGED = "unmanaged"  # live has the object, no template declares it
COMPLIANCE = "compliance_drift"  # a policy rule passes on the template and fails on live
LIVE_STRICTER = "live_stricter"  # a policy rule fails on the template and passes on live


def k8s_address_parts(address: str) -> tuple[str, str, str, str]:
    """``apps/Deployment/shop/api`` -> (group, Kind, namespace, name); cluster-scoped objects have namespace ""."""
    group, kind, namespace, name = (address.split("/", 3) + ["", "", "", ""])[:4]
    return group, kind, namespace, name


@dataclass(frozen=True)
class Change:
    kind: str  # CHANGED, ADDED_IN_LIVE or REMOVED_IN_LIVE
    path: tuple  # str keys, int indices, Selector parts
    desired: Any  # None when absent in the template
    live: Any  # None when absent in live
    pointer: str = ""  # RFC 6901 pointer into the live object (for patches); "" if none
    actor: str = ""  # who wrote the live value, when the source knows (a Kubernetes field manager)


@dataclass
class LiveObject:
    """One object on the live side.

    ``key`` matches ``Source.template_key`` of the template that declares it.
    ``attributes`` is None for an object the source knows is gone (a plan's
    out-of-band deletion). ``desired``, when set, is the source's own record
    of the desired side (a plan's last-applied ``before``) and is compared
    instead of the template's attributes.
    """

    source: str  # terraform-plan | terraform-state | kubernetes | aws
    schema: str  # rule schema: terraform | kubernetes
    type: str  # aws_s3_bucket, Deployment, ...
    key: str  # match key
    address: str  # shown to users: Terraform address, or group/Kind/namespace/name
    native_id: str = ""  # cloud id, uid, ARN
    attributes: Any = None
    desired: Any = None
    sensitive: tuple[tuple, ...] = ()  # attribute path prefixes whose values are never shown
    provenance: str = ""  # plan file, context, account/region
    changes: list[Change] | None = None  # precomputed by the source (a plan's drift); None = compare
    default: bool = False  # exists in every account/cluster (default SA, default VPC): never unmanaged
    note: str = ""  # source-specific remark carried into the message
    next_apply: str = ""  # what the source knows the next apply will do (a plan's resource_changes)


@dataclass
class Snapshot:
    objects: list[LiveObject]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # template resources (by key) that this snapshot could have seen: only those
    # can be "missing"; None = every template of the source's schema
    inspected: set[str] | None = None
    # the source only reports drifted objects (a plan's resource_drift): a
    # template with no live object is in sync, not missing
    drift_only: bool = False
    properties: dict[str, Any] = field(default_factory=dict)  # coverage, scope, counts


class Source(Protocol):
    name: str
    schema: str

    def load(self, spec: str, templates: list[Resource]) -> Snapshot:
        """Read the live side named by ``spec``; raise UsageError/ParseError
        for an unusable one (one clear line)."""

    def template_key(self, resource: Resource) -> str | None:
        """The match key of a template resource, None when it is not an
        object this source can see (a variable, a data source)."""

    def compare(self, template: Resource | None, obj: LiveObject) -> list[Change]:
        """Attribute-level differences, after normalization."""
