"""``zerodrift drift``: templates against live, every difference graded.

Pipeline (shared/docs/drift.md section 2): parse the templates with the scan
parsers -> read the live side with one source (``scanner/drift/sources``) ->
match by key (this module) -> compare (the source normalizes; the differ is
``compare.py``) -> grade (``classify.py``: the ZD-DRIFT rules for attribute,
missing and unmanaged drift; the policy rules on both sides for compliance
drift) -> findings (``findings.py``: locations, redaction, remediation,
fingerprints) -> the ignore file (``ignore.py``). The result is a
``ScanResult`` whose findings carry ``properties["drift"]``, so every reporter
works unchanged.
"""
from __future__ import annotations

import datetime as dt
import os
import posixpath
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace

from scanner.api import collect_resources
from scanner.api import load_ruleset
from scanner.config import ScanConfig
from scanner.drift import ignore as ignore_file
from scanner.drift.classify import compliance
from scanner.drift.classify import grade
from scanner.drift.findings import attribute_finding
from scanner.drift.findings import public
from scanner.drift.model import COMPLIANCE
from scanner.drift.model import MISSING
from scanner.drift.model import UNMANAGED
from scanner.drift.model import Change
from scanner.drift.model import LiveObject
from scanner.drift.model import Snapshot
from scanner.drift.normalize.terraform import PROVIDER_SENSITIVE
from scanner.drift.normalize.terraform import SECRET_IDS
from scanner.drift.redact import REDACTED
from scanner.drift.remediate import accept_hint
from scanner.drift.sources import detect_source
from scanner.drift.sources import get_source
from scanner.engine.loader import Rule
from scanner.engine.loader import load_rules
from scanner.errors import ParseError
from scanner.errors import UsageError
from scanner.model import Diagnostic
from scanner.model import Finding
from scanner.model import Resource
from scanner.model import ScanResult
from scanner.model import Unknown
from scanner.parsers.kubernetes import anchors_for

ANCHOR_NAMES = ("main.tf", "kustomization.yaml", "kustomization.yml")
# template formats per live schema: a plan or an export among the templates is not a template
TEMPLATE_FORMATS = {"terraform": {"terraform"}, "kubernetes": {"kubernetes"}}


@dataclass(frozen=True)
class DriftConfig:
    templates: tuple[str, ...]
    live: str
    source: str | None = None  # terraform-plan | terraform-state | kubernetes | aws; None = detect
    ignore_file: str | None = None
    scan: ScanConfig = field(default_factory=ScanConfig)  # root, excludes, policy, rules, parameters
    today: dt.date | None = None  # for ignore-file expiry (tests)
    kubeconfig: str | None = None  # for k8s:// (default: KUBECONFIG, then ~/.kube/config)


@dataclass
class _Pair:
    obj: LiveObject | None
    template: Resource | None
    inspected: bool = True


def drift(config: DriftConfig) -> ScanResult:
    scan_cfg = config.scan
    root = scan_cfg.root or os.getcwd()
    available = load_rules(scan_cfg.rules_dirs)
    selected = load_ruleset(scan_cfg, available)
    drift_rules = {i: selected.get(i, r) for i, r in available.items() if any(c.schema == "drift" for c in r.checks)}
    policy_rules = {i: r for i, r in selected.items() if i not in drift_rules and any(c.schema not in ("secrets", "zerodrift") for c in r.checks)}
    entries = ignore_file.load(config.ignore_file) if config.ignore_file else []

    name = config.source or detect_source(config.live)
    source = get_source(name, kubeconfig=config.kubeconfig)
    templates, diagnostics, files = collect_resources(list(config.templates), scan_cfg)
    try:
        snapshot = source.load(config.live, templates)
    except ParseError as exc:
        where = f"{config.live}:{exc.line}" if exc.line else config.live
        raise UsageError(f"--live {where}: {exc.reason}") from None
    live_rel = os.path.relpath(os.path.abspath(config.live), root).replace(os.sep, "/") if "://" not in config.live else None
    formats = TEMPLATE_FORMATS.get(source.schema, {source.schema})
    templates = [r for r in templates if r.format in formats and r.file != live_rel]
    exported = sorted({r.file for r in templates if _looks_live(r)})
    for file in exported:
        diagnostics.append(Diagnostic(file, None, "not used as a template: it holds objects read from a cluster "
                                                  "(metadata.uid and resourceVersion), like an export", "warning"))
    templates = [r for r in templates if r.file not in exported]
    anchor = _anchor(templates, config.templates, root)

    by_key: dict[str, Resource] = {}
    optional: set[str] = set()
    for res in templates:
        if res.schema != source.schema:
            continue
        key = source.template_key(res)
        if key is None:
            continue
        instances = _instances(res)
        if instances == "none":
            continue  # count = 0 or for_each = {}: declares nothing
        if instances == "unknown":
            optional.add(key)  # count/for_each not known statically: may declare nothing
        if key in by_key:
            first = by_key[key]
            diagnostics.append(Diagnostic(res.file, res.start_line, f"{key} is also declared at {first.file}:{first.start_line}; compared with that one", "warning"))
            continue
        by_key[key] = res
    objects: dict[str, list[LiveObject]] = defaultdict(list)
    for obj in snapshot.objects:
        _harden(obj)
        objects[obj.key].append(obj)

    taken = frozenset(r.name for r in templates)
    pairs: list[_Pair] = []
    counts = {"in_sync": 0, "changed": 0, "missing": 0, "unmanaged": 0, "default": 0, "not_inspected": 0}
    for key in sorted(set(by_key) | set(objects)):
        template = by_key.get(key)
        if not objects.get(key):
            if snapshot.drift_only:
                pairs.append(_Pair(None, template))  # in sync: a plan lists drifted objects only
            elif (snapshot.inspected is None or key in snapshot.inspected) and key not in optional:
                pairs.append(_Pair(_missing_object(source.name, source.schema, template, key), template))
            else:
                counts["not_inspected"] += 1
                pairs.append(_Pair(None, template, inspected=False))
            continue
        for obj in objects[key]:
            if template is None and obj.default:
                counts["default"] += 1
                continue
            pairs.append(_Pair(obj, template))

    findings: list[Finding] = []
    desired_set: list[Resource] = []
    live_set: list[Resource] = []
    changes_of: dict[str, list[Change]] = {}
    for pair in pairs:
        obj, template = pair.obj, pair.template
        if obj is None:
            assert template is not None
            counts["in_sync"] += pair.inspected
            desired_set.append(template)
            live_set.append(template)
            pair.obj = LiveObject(source=source.name, schema=source.schema, type=template.type, key=template.name,
                                  address=template.name, attributes=template.attributes, changes=[])
            continue
        if obj.attributes is None:  # missing
            counts["missing"] += 1
            if template is not None:
                desired_set.append(replace(template, name=obj.address, attributes=obj.desired if obj.desired is not None else template.attributes))
            findings.append(_graded(MISSING, obj, template, None, anchor, drift_rules, None))
            continue
        live_res = _live_resource(obj, template, anchor)
        live_set.append(live_res)
        if template is None and obj.changes is None:
            counts["unmanaged"] += 1
            findings.append(_graded(UNMANAGED, obj, None, None, anchor, drift_rules, live_res, taken))
            continue
        desired_set.append(_desired_resource(obj, template, anchor))
        changes = obj.changes if obj.changes is not None else source.compare(template, obj)
        changes_of[obj.address] = changes
        counts["changed" if changes else "in_sync"] += 1
        if template is None:
            diagnostics.append(Diagnostic(anchor, None, f"{obj.address}: drifted, but no template in the given paths declares it", "warning"))
        for change in changes:
            findings.append(_graded(change.kind, obj, template, change, anchor, drift_rules, live_res))

    findings += compliance(desired_set, live_set, policy_rules, drift_rules, pairs, changes_of, findings)
    findings = [f for f in findings if f is not None]
    weakened = {f.resource for f in findings if f.properties["drift"]["kind"] == COMPLIANCE}
    for f in findings:  # never suggest keeping a live value on an object that now fails a rule
        hint = accept_hint(f.properties["drift"], f.file, f.line) if f.resource in weakened else ""
        if hint:
            f.fix = f.fix.replace(hint, "")
    used_rules = {f.rule_id: (drift_rules.get(f.rule_id) or policy_rules[f.rule_id]) for f in findings}
    active, suppressed, ignore_diags = ignore_file.apply(findings, entries, config.ignore_file or "", config.today)
    diagnostics += snapshot.diagnostics + ignore_diags
    return ScanResult(
        findings=sorted((public(f) for f in active), key=Finding.sort_key),
        suppressed=sorted((public(f) for f in suppressed), key=Finding.sort_key),
        diagnostics=sorted(set(diagnostics), key=Diagnostic.sort_key),
        rules=dict(sorted(used_rules.items())),
        files_scanned=files,
        resources_scanned=len(snapshot.objects),
        root=root,
        properties={"drift": _summary(source.name, config.live, snapshot, counts, by_key, objects, len(active), len(suppressed))},
    )


def _graded(kind: str, obj: LiveObject, template: Resource | None, change: Change | None, anchor: str,
            drift_rules: dict[str, Rule], live: Resource | None, taken: frozenset[str] = frozenset()) -> Finding | None:
    rule = grade(kind, obj.type, change.path if change else (), live, drift_rules)
    if rule is None:
        return None  # the policy selects no drift rule for this kind
    return attribute_finding(kind, obj, template, change, anchor, rule, taken)


# ---------------------------------------------------------------- matching

def _anchor(templates: list[Resource], given: tuple[str, ...], root: str) -> str:
    """Where findings without a template line go (unmanaged objects): the root
    module's main.tf or the kustomization, else the first template file."""
    files = sorted({r.file for r in templates})
    for wanted in ANCHOR_NAMES:
        named = [f for f in files if posixpath.basename(f) == wanted]
        if named:
            return min(named, key=lambda f: (f.count("/"), f))
    if files:
        return files[0]
    first = given[0] if given else "."
    return os.path.relpath(first, root).replace(os.sep, "/") if os.path.isabs(first) or os.path.exists(first) else first


def _missing_object(source: str, schema: str, template: Resource | None, key: str) -> LiveObject:
    assert template is not None
    address = key if schema == "kubernetes" else template.name  # group/Kind/namespace/name, or the Terraform address
    return LiveObject(source=source, schema=schema, type=template.type, key=key, address=address, attributes=None)


def _instances(res: Resource) -> str:
    """Whether a Terraform template declares instances: "none" (count = 0,
    for_each empty), "unknown" (count/for_each not resolvable) or "some"."""
    attrs = res.attributes if res.schema == "terraform" and isinstance(res.attributes, dict) else {}
    for meta in ("count", "for_each"):
        value = attrs.get(meta)
        if isinstance(value, Unknown):
            return "unknown"
        if value is not None and (value == 0 or value in ([], {}, "")):
            return "none"
    return "some"


def _looks_live(res: Resource) -> bool:
    """A Kubernetes object as a server returns it: manifests never carry a uid."""
    meta = res.attributes.get("metadata") if res.schema == "kubernetes" and isinstance(res.attributes, dict) else None
    return isinstance(meta, dict) and "uid" in meta and "resourceVersion" in meta


def _harden(obj: LiveObject) -> None:
    """Secrets a source cannot know about: provider-sensitive attributes, and ids
    that are secrets (random_password); ids that look like one are masked when shown."""
    if obj.schema == "terraform":
        obj.sensitive = tuple(obj.sensitive) + PROVIDER_SENSITIVE.get(obj.type, ())
        if obj.type in SECRET_IDS:
            obj.native_id = REDACTED if obj.native_id else ""


def _live_resource(obj: LiveObject, template: Resource | None, anchor: str) -> Resource:
    if template is not None:
        return replace(template, format="live", name=obj.address, attributes=obj.attributes)
    group = "live"
    if obj.schema == "kubernetes":
        namespace = (obj.attributes.get("metadata") or {}).get("namespace") if isinstance(obj.attributes, dict) else None
        group = f"namespace:{namespace or 'default'}"
    return Resource("live", obj.schema, obj.type, obj.address, anchor, 1, 1, obj.attributes, {}, (),
                    anchors_for(obj.type) if obj.schema == "kubernetes" else {}, group)


def _desired_resource(obj: LiveObject, template: Resource | None, anchor: str) -> Resource:
    if template is None:  # drifted per the plan, template not among the given paths
        return Resource("live", obj.schema, obj.type, obj.address, anchor, 1, 1, obj.desired, {}, (), {}, "live")
    attributes = obj.desired if obj.desired is not None else template.attributes
    return replace(template, name=obj.address, attributes=attributes)


def _summary(source: str, live: str, snapshot: Snapshot, counts: dict, by_key: dict, objects: dict, active: int, suppressed: int) -> dict:
    coverage: dict[str, int] = {}
    if not snapshot.drift_only:
        managed: dict[str, int] = defaultdict(int)
        total: dict[str, int] = defaultdict(int)
        for key, objs in objects.items():
            for obj in objs:
                if obj.default or obj.attributes is None:
                    continue
                total[obj.type] += 1
                if key in by_key:
                    managed[obj.type] += 1
        coverage = {t: int(100 * managed[t] / total[t]) for t in sorted(total)}
    provenance = sorted({o.provenance for o in snapshot.objects if o.provenance})
    return {
        "source": source, "live": live, "provenance": provenance[0] if len(provenance) == 1 else provenance,
        "counts": dict(sorted(counts.items())), "coverage": coverage, "findings": active, "suppressed": suppressed,
        **{k: v for k, v in sorted(snapshot.properties.items())},
    }
