"""``zerodrift drift``: templates against live, every difference graded.

Pipeline (shared/docs/drift.md section 2): parse the templates with the scan
parsers -> read the live side with one source (``scanner/drift/sources``) ->
match by key -> compare (the source normalizes) -> grade:

* attribute drift, missing and unmanaged objects by the ZD-DRIFT rules
  (``rules/drift/``: the sensitive-path catalog, the protective types, the
  admin grants are data in those files; the highest-severity rule that
  matches wins);
* compliance drift by running the policy rules on the desired and on the live
  side: a rule that passes on the template and fails on live is reported
  with that rule's id and severity; the reverse is ZD-DRIFT-008;
* an unmanaged object takes the worse of its ZD-DRIFT grade and the worst
  policy rule failing on it.

Then the ignore file, redaction and remediation; the result is a
``ScanResult`` whose findings carry ``properties["drift"]``, so every
reporter works unchanged.
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import json
import os
import posixpath
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from typing import Any

from scanner.api import collect_resources
from scanner.api import load_ruleset
from scanner.config import ScanConfig
from scanner.drift import ignore as ignore_file
from scanner.drift.compare import canonical
from scanner.drift.model import ADDED_IN_LIVE
from scanner.drift.model import CHANGED
from scanner.drift.model import COMPLIANCE
from scanner.drift.model import LIVE_STRICTER
from scanner.drift.model import MISSING
from scanner.drift.model import UNMANAGED
from scanner.drift.model import Change
from scanner.drift.model import LiveObject
from scanner.drift.model import Snapshot
from scanner.drift.redact import REDACTED
from scanner.drift.redact import hidden_path
from scanner.drift.redact import mask_text
from scanner.drift.redact import redact
from scanner.drift.normalize.terraform import PROVIDER_SENSITIVE
from scanner.drift.normalize.terraform import SECRET_IDS
from scanner.drift.remediate import accept_hint
from scanner.drift.remediate import remediation
from scanner.drift.sources import detect_source
from scanner.drift.sources import get_source
from scanner.engine.evaluate import run as run_rules
from scanner.engine.loader import Rule
from scanner.engine.loader import load_rules
from scanner.errors import ParseError
from scanner.errors import UsageError
from scanner.model import SEVERITY_RANK
from scanner.model import Diagnostic
from scanner.model import Finding
from scanner.model import Resource
from scanner.model import ScanResult
from scanner.model import Selector
from scanner.model import Unknown
from scanner.model import format_path
from scanner.parsers.kubernetes import anchors_for

DRIFT_DOMAIN = "drift"
LIVE_STRICTER_RULE = "ZD-DRIFT-008"
MAX_VALUE = 80
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
            findings.append(_finding(MISSING, obj, template, None, anchor, drift_rules, None))
            continue
        live_res = _live_resource(obj, template, anchor)
        live_set.append(live_res)
        if template is None and obj.changes is None:
            counts["unmanaged"] += 1
            findings.append(_finding(UNMANAGED, obj, None, None, anchor, drift_rules, live_res, taken))
            continue
        desired_set.append(_desired_resource(obj, template, anchor))
        changes = obj.changes if obj.changes is not None else source.compare(template, obj)
        changes_of[obj.address] = changes
        counts["changed" if changes else "in_sync"] += 1
        if template is None:
            diagnostics.append(Diagnostic(anchor, None, f"{obj.address}: drifted, but no template in the given paths declares it", "warning"))
        for change in changes:
            findings.append(_finding(change.kind, obj, template, change, anchor, drift_rules, live_res))

    findings += _compliance(desired_set, live_set, policy_rules, drift_rules, pairs, changes_of, findings)
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
        findings=sorted((_public(f) for f in active), key=Finding.sort_key),
        suppressed=sorted((_public(f) for f in suppressed), key=Finding.sort_key),
        diagnostics=sorted(set(diagnostics), key=Diagnostic.sort_key),
        rules=dict(sorted(used_rules.items())),
        files_scanned=files,
        resources_scanned=len(snapshot.objects),
        root=root,
        properties={"drift": _summary(source.name, config.live, snapshot, counts, by_key, objects, len(active), len(suppressed))},
    )


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


def _shown_id(native_id: str) -> str:
    """A native id as reports show it: masked when it looks like a secret (an access key id)."""
    return mask_text(native_id) if len(native_id) >= 8 and native_id != REDACTED else native_id


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


def template_path(attributes: Any, path: tuple) -> tuple:
    """``path`` with ``Selector`` parts turned into the template's list indices
    (so the template's line marks apply); stops where the template ends."""
    out: list = []
    node = attributes
    for part in path:
        if isinstance(part, Selector):
            if not isinstance(node, list):
                break
            wanted = dict(kv.split("=", 1) for kv in str(part).split(",") if "=" in kv)
            index = next((i for i, item in enumerate(node) if isinstance(item, dict)
                          and all(str(item.get(k)) == v for k, v in wanted.items())), None)
            if index is None:
                break
            out.append(index)
            node = node[index]
        elif isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            out.append(part)
            node = node[part]
        else:
            out.append(part)
            break
    return tuple(out)


# ---------------------------------------------------------------- grading

def _schema_path(path: tuple) -> str:
    return ".".join(str(p) for p in path if isinstance(p, str) and not isinstance(p, Selector))


def _path_matches(patterns: tuple[str, ...], spath: str) -> bool:
    if not patterns:
        return True
    parts = spath.split(".") if spath else []
    prefixes = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    for pattern in patterns:
        if pattern.endswith("$"):
            if fnmatch.fnmatchcase(spath, pattern[:-1]):
                return True
        elif any(fnmatch.fnmatchcase(prefix, pattern) for prefix in prefixes):
            return True
    return False


def grade(kind: str, rtype: str, path: tuple, live: Resource | None, drift_rules: dict[str, Rule]) -> Rule | None:
    """The highest-severity drift rule whose check takes this drift."""
    spath = _schema_path(path)
    for rule in sorted(drift_rules.values(), key=lambda r: (-SEVERITY_RANK[r.severity], r.id)):
        for check in rule.checks:
            if check.schema != "drift" or kind not in check.types:
                continue
            if check.resources is not None and not any(
                fnmatch.fnmatchcase(rtype, glob) and _path_matches(patterns, spath) for glob, patterns in check.resources.items()
            ):
                continue
            if check.evaluate is not None:
                if live is None or not check.evaluate(live, rule.parameters)[0]:
                    continue
            return rule
    return None


def _compliance(desired_set: list[Resource], live_set: list[Resource], rules: dict[str, Rule], drift_rules: dict[str, Rule],
                pairs: list[_Pair], changes_of: dict[str, list[Change]], drift_findings: list[Finding | None]) -> list[Finding | None]:
    if not rules:
        return []
    desired = run_rules(desired_set, rules)
    live = run_rules(live_set, rules)
    live_hits: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in live.findings:
        live_hits[(f.rule_id, f.resource)].append(f)
    desired_hits: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in desired.findings:
        desired_hits[(f.rule_id, f.resource)].append(f)
    by_address = {p.obj.address: p for p in pairs if p.obj is not None}
    cross_object = {i for i, r in rules.items() if any(c.python for c in r.checks)}
    out: list[Finding | None] = []

    desired_by_name = {r.name: r for r in desired_set}

    def report(kind: str, rule_id: str, name: str, hits: list[Finding]) -> None:
        pair = by_address.get(name)
        if pair is None or pair.obj is None or pair.template is None or not hits:
            return  # an unmanaged object has no template side to compare with
        hit = min(hits, key=Finding.sort_key)
        changes = changes_of.get(pair.obj.address, [])
        if kind == COMPLIANCE and _already_failing(rule_id, pair.template.name, desired.findings, desired_by_name):
            return  # the templates fail it already, on a resource that configures this one (a standalone SG rule)
        if kind == COMPLIANCE:
            out.append(_rule_finding(COMPLIANCE, rules[rule_id], rules[rule_id].severity, pair.obj, pair.template, hit, changes))
        elif LIVE_STRICTER_RULE in drift_rules:
            stricter = drift_rules[LIVE_STRICTER_RULE]
            out.append(_rule_finding(LIVE_STRICTER, stricter, stricter.severity, pair.obj, pair.template, hit, changes, rules[rule_id]))

    # Cross-object rules may report on another object of the group on each side (a
    # namespace without default-deny: on the Namespace object when there is one, else
    # on its first workload). Where a rule reports at most once per group on both
    # sides, compare per group; elsewhere (a bucket without a public-access block
    # among several buckets), per resource like every other rule.
    group_of = {r.name: _group_key(r) for r in desired_set + live_set}
    failing = {rule_id: (_by_group(desired.findings, rule_id, group_of), _by_group(live.findings, rule_id, group_of))
               for rule_id in cross_object}

    def per_group(rule_id: str, name: str) -> bool:
        if rule_id not in failing:
            return False
        group = group_of.get(name, "")
        return len(failing[rule_id][0].get(group, ())) <= 1 and len(failing[rule_id][1].get(group, ())) <= 1

    for (rule_id, file, name), verdict in sorted(live.verdicts.items()):
        if per_group(rule_id, name):
            continue
        before = desired.verdicts.get((rule_id, file, name))
        if before == "passed" and verdict == "failed":
            report(COMPLIANCE, rule_id, name, live_hits[(rule_id, name)])
        elif before == "failed" and verdict == "passed":
            report(LIVE_STRICTER, rule_id, name, desired_hits[(rule_id, name)])
    for rule_id in sorted(failing):
        failing_desired, failing_live = failing[rule_id]
        for group in sorted(set(failing_live) - set(failing_desired)):
            managed = [f for f in failing_live[group] if getattr(by_address.get(f.resource), "template", None) is not None]
            if managed and per_group(rule_id, managed[0].resource):
                report(COMPLIANCE, rule_id, managed[0].resource, managed)
        for group in sorted(set(failing_desired) - set(failing_live)):
            first = failing_desired[group][0]
            if per_group(rule_id, first.resource):
                report(LIVE_STRICTER, rule_id, first.resource, failing_desired[group])
    # an unmanaged object takes the worse of its drift grade and the worst rule failing on it
    worst: dict[str, list[Finding]] = defaultdict(list)
    for f in live.findings:
        worst[f.resource].append(f)
    for f in drift_findings:
        if f is None or f.properties["drift"]["kind"] != UNMANAGED:
            continue
        failing = sorted(worst.get(f.resource, []), key=lambda x: (-SEVERITY_RANK[x.severity], x.rule_id))
        if not failing:
            continue
        ids = sorted({x.rule_id for x in failing})
        f.properties["drift"]["failing_rules"] = ids
        f.message += f"; fails {', '.join(ids)}"
        if SEVERITY_RANK[failing[0].severity] > SEVERITY_RANK[f.severity]:
            f.severity = failing[0].severity
    return out


def _already_failing(rule_id: str, address: str, findings: list[Finding], resources: dict[str, Resource]) -> bool:
    """Whether ``rule_id`` fails on the desired side on a resource that refers to
    ``address`` (``security_group_id = aws_security_group.web.id``): live merges
    such resources into the one they configure, so the failure is not new."""
    for f in findings:
        res = resources.get(f.resource)
        if f.rule_id == rule_id and res is not None and f.resource != address and _refers(res.attributes, address):
            return True
    return False


def _refers(value: Any, address: str) -> bool:
    if isinstance(value, Unknown):
        return any(address + tail in value.expr for tail in (".", "[")) or value.expr == address
    if isinstance(value, dict):
        return any(_refers(v, address) for v in value.values())
    if isinstance(value, list):
        return any(_refers(v, address) for v in value)
    return False


def _group_key(res: Resource) -> str:
    """The group a cross-object finding is about: a Namespace object stands for its own namespace."""
    if res.schema == "kubernetes" and res.type == "Namespace" and isinstance(res.attributes, dict):
        return f"namespace:{(res.attributes.get('metadata') or {}).get('name', '')}"
    return res.group


def _by_group(findings: list[Finding], rule_id: str, group_of: dict[str, str]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.rule_id == rule_id:
            out[group_of.get(f.resource, "")].append(f)
    return out


# ---------------------------------------------------------------- findings

def _shown(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str) if not isinstance(value, str) else value
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _element_path(change: Change | None) -> str:
    """The path, plus a digest of the element for a set element added or removed
    at the same path as others (two subjects added to one RoleBinding)."""
    if change is None:
        return ""
    text = format_path(change.path)
    value = change.live if change.kind == ADDED_IN_LIVE else change.desired
    if change.kind != CHANGED and isinstance(value, (dict, list)) and not (change.path and isinstance(change.path[-1], (int, Selector))):
        text += "#" + hashlib.sha256(canonical(value).encode("utf-8")).hexdigest()[:12]
    return text


def _fingerprint(source: str, address: str, path: str, kind: str) -> str:
    return hashlib.sha256(f"{source}|{address}|{path}|{kind}".encode("utf-8")).hexdigest()[:32]


def _location(template: Resource | None, path: tuple, anchor: str) -> tuple[str, int, int]:
    if template is None:
        return anchor, 1, 0
    if not path:
        return template.file, template.start_line, template.start_line
    return template.file, template.line_of(template_path(template.attributes, path)), template.start_line


def _drift_props(kind: str, obj: LiveObject, template: Resource | None, change: Change | None, file: str, line: int) -> dict:
    path = change.path if change else ()
    props: dict[str, Any] = {
        "kind": kind, "source": obj.source, "type": obj.type, "address": obj.address, "native_id": _shown_id(obj.native_id),
        "path": format_path(path), "path_parts": list(path), "provenance": obj.provenance,
        "template": f"{file}:{line}" if template is not None else None,
    }
    if change is not None:
        props["desired"] = redact(change.desired, path, obj.sensitive)
        props["live"] = redact(change.live, path, obj.sensitive)
        props["desired_shown"], props["live_shown"] = props["desired"], props["live"]
        props["pointer"] = change.pointer
        if change.actor:
            props["actor"] = change.actor
    if obj.note:
        props["note"] = obj.note
    return props


_VERB = {"changed": "changed", "added_in_live": "added in live", "removed_in_live": "removed in live"}


def _finding(kind: str, obj: LiveObject, template: Resource | None, change: Change | None, anchor: str,
             drift_rules: dict[str, Rule], live: Resource | None, taken: frozenset[str] = frozenset()) -> Finding | None:
    rule = grade(kind, obj.type, change.path if change else (), live, drift_rules)
    if rule is None:
        return None  # the policy selects no drift rule for this kind
    path = change.path if change else ()
    file, line, resource_line = _location(template, path, anchor)
    props = _drift_props(kind, obj, template, change, file, line)
    if kind == MISSING and obj.source == "terraform-state":
        message = f"{obj.address}: declared in the templates, not in the state (never applied, or removed from the state)"
    elif kind == MISSING:
        message = f"{obj.address}: declared in the templates, missing from live (deleted out of band)"
    elif kind == UNMANAGED:
        ident = f" ({_shown_id(obj.native_id)})" if obj.native_id and obj.native_id not in obj.address else ""
        where = "is in the state" if obj.source == "terraform-state" else "exists in live"
        message = f"{obj.address}{ident}: {where}, no template declares it"
    else:
        assert change is not None
        desired = "(absent)" if change.desired is None else _shown(props["desired"])
        live_text = "(absent)" if change.live is None else _shown(props["live"])
        message = f"{obj.address}: {format_path(path)} {_VERB[kind]}: {desired} → {live_text}"
        if change.actor:
            message += f" (by {change.actor})"
    if obj.note:
        message += f" [{obj.note}]"
    live_attrs = redact(obj.attributes, (), obj.sensitive) if kind == UNMANAGED else None
    fix = remediation(props, live_attrs, template.file if template else anchor, line, taken)
    hint = accept_hint(props, file, line)
    if hint and SEVERITY_RANK[rule.severity] > SEVERITY_RANK["low"]:
        fix = fix.replace(hint, "")  # keeping a live value is offered for benign drift only
    return Finding(
        rule_id=rule.id, severity=rule.severity, title=rule.title, message=message, file=file, line=line, end_line=line,
        resource=obj.address, resource_type=obj.type, path=format_path(path),
        fix=_with_next_apply(fix, obj),
        fingerprint=_fingerprint(obj.source, obj.address, _element_path(change), kind),
        properties={"drift": props}, resource_line=resource_line or line,
    )


def _rule_finding(kind: str, rule: Rule, severity: str, obj: LiveObject, template: Resource | None, hit: Finding,
                  changes: list[Change], policy_rule: Rule | None = None) -> Finding:
    judged = policy_rule or rule
    attr_path = hit.path
    file, line = (template.file, hit.line) if template is not None else (hit.file, hit.line)
    props = _drift_props(kind, obj, template, None, file, line)
    props["path"] = attr_path
    props["rule"] = judged.id
    props["caused_by"] = sorted({format_path(c.path) for c in changes})[:10]
    if kind == COMPLIANCE:
        message = f"{obj.address}: compliance drift: {judged.id} passes on the template and fails on live ({hit.message})"
        fix = _with_next_apply(f"{judged.fix} " + remediation(props, None, file, line), obj)
    else:
        message = f"{obj.address}: live passes {judged.id} where the template fails ({judged.title}); applying the templates would reopen it"
        fix = remediation(props, None, file, line)
    hidden = any(hidden_path((part,), obj.sensitive) for part in attr_path.split("."))
    if hidden:
        message = message.replace(hit.message, REDACTED)
    return Finding(
        rule_id=rule.id, severity=severity, title=judged.title if kind == COMPLIANCE else rule.title, message=message,
        file=file, line=line, end_line=line, resource=obj.address, resource_type=obj.type, path=attr_path, fix=fix,
        fingerprint=_fingerprint(obj.source, obj.address, attr_path, f"{kind}:{judged.id}"),
        properties={"drift": props}, resource_line=template.start_line if template is not None else line,
    )


def _with_next_apply(fix: str, obj: LiveObject) -> str:
    return f"{fix} ({obj.next_apply[:1].upper()}{obj.next_apply[1:]}.)" if obj.next_apply else fix


def _public(f: Finding) -> Finding:
    drift = {k: v for k, v in f.properties.get("drift", {}).items() if k not in ("path_parts", "desired_shown", "live_shown")}
    return replace(f, properties={**f.properties, "drift": drift})


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
