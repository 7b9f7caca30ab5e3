"""Drift findings: what one drift becomes in a report.

Every drift is a ``Finding`` whose ``properties["drift"]`` holds kind, source,
address, native id, path, desired and live values (redacted here, once),
pointer, provenance, template location and, for compliance drift, the rule and
the attribute drifts that caused it. Locations point at the template line of
the drifted attribute; fingerprints hash source, address, path and kind.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import Any

from scanner.drift.compare import canonical
from scanner.drift.model import ADDED_IN_LIVE
from scanner.drift.model import CHANGED
from scanner.drift.model import COMPLIANCE
from scanner.drift.model import MISSING
from scanner.drift.model import UNMANAGED
from scanner.drift.model import Change
from scanner.drift.model import LiveObject
from scanner.drift.redact import REDACTED
from scanner.drift.redact import hidden_path
from scanner.drift.redact import mask_text
from scanner.drift.redact import redact
from scanner.drift.remediate import accept_hint
from scanner.drift.remediate import remediation
from scanner.engine.loader import Rule
from scanner.model import SEVERITY_RANK
from scanner.model import Finding
from scanner.model import Resource
from scanner.model import Selector
from scanner.model import format_path

MAX_VALUE = 80


def shown_id(native_id: str) -> str:
    """A native id as reports show it: masked when it looks like a secret (an access key id)."""
    return mask_text(native_id) if len(native_id) >= 8 and native_id != REDACTED else native_id


def template_path(attributes: Any, path: tuple) -> tuple:
    """``path`` with ``Selector`` parts turned into the template's list indices
    (so the template's line marks apply); stops where the template ends."""
    out: list = []
    node = attributes
    for part in path:
        if isinstance(part, Selector):
            if not isinstance(node, list):
                break
            wanted = part.fields()
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
        "kind": kind, "source": obj.source, "type": obj.type, "address": obj.address, "native_id": shown_id(obj.native_id),
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


def attribute_finding(kind: str, obj: LiveObject, template: Resource | None, change: Change | None, anchor: str,
                      rule: Rule, taken: frozenset[str] = frozenset()) -> Finding:
    """The finding of one attribute drift, missing or unmanaged object, graded by ``rule``."""
    path = change.path if change else ()
    file, line, resource_line = _location(template, path, anchor)
    props = _drift_props(kind, obj, template, change, file, line)
    if kind == MISSING and obj.source == "terraform-state":
        message = f"{obj.address}: declared in the templates, not in the state (never applied, or removed from the state)"
    elif kind == MISSING:
        message = f"{obj.address}: declared in the templates, missing from live (deleted out of band)"
    elif kind == UNMANAGED:
        ident = f" ({shown_id(obj.native_id)})" if obj.native_id and obj.native_id not in obj.address else ""
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
        fix=with_next_apply(fix, obj),
        fingerprint=_fingerprint(obj.source, obj.address, _element_path(change), kind),
        properties={"drift": props}, resource_line=resource_line or line,
    )


def rule_finding(kind: str, rule: Rule, severity: str, obj: LiveObject, template: Resource | None, hit: Finding,
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
        fix = with_next_apply(f"{judged.fix} " + remediation(props, None, file, line), obj)
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


def with_next_apply(fix: str, obj: LiveObject) -> str:
    return f"{fix} ({obj.next_apply[:1].upper()}{obj.next_apply[1:]}.)" if obj.next_apply else fix


def public(f: Finding) -> Finding:
    drift = {k: v for k, v in f.properties.get("drift", {}).items() if k not in ("path_parts", "desired_shown", "live_shown")}
    return replace(f, properties={**f.properties, "drift": drift})
