"""The normalized model every parser produces and every rule and reporter reads.

A parser turns a file into ``Resource`` objects.  ``attributes`` holds plain
values (dict, list, str, int, float, bool, None, or ``Unknown`` where a value
could not be resolved statically), shaped the same way for a given ``schema``
whatever the source format: a Terraform resource from HCL, from a plan and
from live state all carry ``schema == "terraform"`` and the provider's
attribute shape, so one rule judges all three.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field
from typing import Any

SEVERITIES = ("critical", "high", "medium", "low", "info")
SEVERITY_RANK = {name: rank for rank, name in enumerate(reversed(SEVERITIES))}

Path = tuple  # keys (str) and list indices (int)


class Unknown:
    """A value that cannot be known without running Terraform (or the cloud).

    Operators treat it as neither pass nor fail: a condition touching an
    unknown value is itself unknown and produces no finding.
    """

    __slots__ = ("expr",)

    def __init__(self, expr: str) -> None:
        self.expr = expr

    def __repr__(self) -> str:
        return f"Unknown({self.expr!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown) and other.expr == self.expr

    def __hash__(self) -> int:
        return hash(("Unknown", self.expr))


@dataclass
class Resource:
    """One configuration object with precise source locations."""

    format: str  # the file format it came from: terraform, tfplan, cloudformation, ...
    schema: str  # the attribute shape rules are written against
    type: str  # aws_s3_bucket, AWS::S3::Bucket, Deployment, dockerfile, ...
    name: str  # address: aws_s3_bucket.logs, Deployment/prod/api, services.web
    file: str  # path relative to the scan root, with / separators
    start_line: int
    end_line: int
    attributes: Any
    lines: dict[Path, int] = field(default_factory=dict, repr=False)
    base: Path = ()  # prefix of this resource's paths inside ``lines``
    anchors: dict[str, list[Path]] = field(default_factory=dict, repr=False)
    group: str = ""  # resources that may see each other (module dir, file, namespace)

    def line_of(self, path: Path) -> int:
        """Line of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            line = self.lines.get(self.base + path)
            if line is not None:
                return line
            path = path[:-1]
        return self.lines.get(self.base, self.start_line)


@dataclass(frozen=True)
class Diagnostic:
    """Something the scan could not do for one file (it went on)."""

    file: str
    line: int | None
    reason: str
    level: str = "error"  # error (file not scanned) or warning (scanned partly)

    def sort_key(self) -> tuple:
        return (self.file, self.line or 0, self.reason)


@dataclass
class Finding:
    rule_id: str
    severity: str
    title: str
    message: str
    file: str
    line: int
    end_line: int
    resource: str
    resource_type: str
    path: str  # attribute path that triggered, dotted; "" for the resource itself
    fix: str = ""
    fingerprint: str = ""
    properties: dict[str, Any] = field(default_factory=dict)
    resource_line: int = 0  # first line of the resource (a suppression above it applies)

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.rule_id, self.resource, self.path)


@dataclass
class ScanResult:
    findings: list[Finding]
    diagnostics: list[Diagnostic]
    rules: dict[str, Any]  # id -> Rule, every rule that was evaluated
    files_scanned: int
    resources_scanned: int
    root: str
    stats: dict[str, Any] = field(default_factory=dict)  # rule id -> RuleStats (passed/failed/unknown)
    suppressed: list[Finding] = field(default_factory=list)  # accepted inline or by the baseline
    properties: dict[str, Any] = field(default_factory=dict)  # run-level facts (drift: source, provenance, counts, coverage)

    def worst_at_or_above(self, threshold: str) -> list[Finding]:
        """The failing findings: at or above ``threshold`` and, with diff-only
        gating, on a changed line."""
        limit = SEVERITY_RANK[threshold]
        return [f for f in self.findings if SEVERITY_RANK[f.severity] >= limit and f.properties.get("in_diff", True)]


class Selector(str):
    """A path part that picks a list element by its merge key (``name=app``),
    so a drift path survives reordering: ``spec.containers[name=app].image``."""

    __slots__ = ()

    def fields(self) -> dict[str, str]:
        """``containerPort=80,protocol=TCP`` -> {"containerPort": "80", "protocol": "TCP"}."""
        return dict(kv.split("=", 1) for kv in self.split(",") if "=" in kv)


_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_:-]+$")


def format_path(path: Path) -> str:
    """``a.b[0]["x.y/z"]``: the same syntax rules use, so a path can be pasted back."""
    out = ""
    for part in path:
        if isinstance(part, int) or isinstance(part, Selector):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(str(part)) and str(part) != "*":
            out += ("." if out else "") + str(part)
        else:
            escaped = str(part).replace('"', '\\"')
            out += f'["{escaped}"]'
    return out
