"""CloudFormation templates (YAML with short intrinsic tags, or JSON) → resources.

Each entry under ``Resources`` becomes a resource whose attributes are its
``Properties``.  ``!Ref`` and friends are turned into their long form
(``{"Ref": x}``, ``{"Fn::GetAtt": [...]}``) by the tag handler, then resolved
where that is static: a ``Ref`` to a parameter with a ``Default`` becomes the
default, ``Fn::Join``/``Fn::Sub`` over literal strings become the string, and
anything else becomes ``Unknown``.
"""
from __future__ import annotations

import json
from typing import Any

from scanner.errors import ParseError
from scanner.model import Resource
from scanner.model import Unknown
from scanner.parsers.safe_yaml import load_documents
from scanner.parsers.safe_yaml import load_json

FORMAT = "cloudformation"

_SHORT_TAGS = {
    "!Ref": "Ref",
    "!Condition": "Condition",
    **{f"!{name}": f"Fn::{name}" for name in (
        "Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select",
        "Split", "Sub", "Transform", "And", "Equals", "If", "Not", "Or", "Length", "ToJsonString",
    )},
}


def _tag(tag: str, value: Any) -> Any:
    long = _SHORT_TAGS.get(tag)
    if long is None:
        return value
    if long == "Fn::GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {long: value}


def sniff(text: str) -> bool:
    return "AWSTemplateFormatVersion" in text or ("Resources" in text and "AWS::" in text)


def parse(text: str, file: str) -> list[Resource]:
    if file.endswith(".json"):
        doc = load_json(text)
    else:
        docs = load_documents(text, tag_handler=_tag)
        if not docs:
            return []
        doc = docs[0]
    template = doc.value
    if not isinstance(template, dict) or not isinstance(template.get("Resources"), dict):
        raise ParseError("CloudFormation template without a Resources mapping", doc.start_line)
    params = {}
    for name, spec in (template.get("Parameters") or {}).items():
        if isinstance(spec, dict) and "Default" in spec:
            params[name] = spec["Default"]
    out: list[Resource] = []
    ends = _end_lines(doc.lines, doc.end_line)
    for logical_id, spec in template["Resources"].items():
        if not isinstance(spec, dict):
            continue
        base = ("Resources", logical_id)
        props = spec.get("Properties")
        attributes = _resolve(props if isinstance(props, dict) else {}, params)
        start = doc.lines.get(base, doc.start_line)
        out.append(
            Resource(
                format=FORMAT,
                schema="cloudformation",
                type=str(spec.get("Type", "")),
                name=str(logical_id),
                file=file,
                start_line=start,
                end_line=ends.get(logical_id, start),
                attributes=attributes,
                lines=doc.lines,
                base=base + ("Properties",),
                group=file,
            )
        )
    return out


def _end_lines(lines: dict, last: int) -> dict:
    ends: dict = {}
    for path, line in lines.items():
        if len(path) >= 2 and path[0] == "Resources":
            ends[path[1]] = max(ends.get(path[1], 0), line)
    return ends


def _resolve(value: Any, params: dict) -> Any:
    if isinstance(value, list):
        return [_resolve(v, params) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        (key, arg), = value.items()
        if key == "Ref":
            if isinstance(arg, str) and arg in params:
                return params[arg]
            return Unknown(f"Ref {arg}")
        if key == "Fn::Join" and isinstance(arg, list) and len(arg) == 2:
            sep, items = arg[0], _resolve(arg[1], params)
            if isinstance(sep, str) and isinstance(items, list) and all(isinstance(i, str) for i in items):
                return sep.join(items)
        if key == "Fn::Sub" and isinstance(arg, str) and "${" not in arg:
            return arg
        if key.startswith("Fn::") or key == "Condition":
            # keep the arguments readable ("Fn::GetAtt Vpc.VpcId") so checks can
            # still tell which logical resource an unknown value refers to
            if key == "Fn::GetAtt" and isinstance(arg, list):
                return Unknown(f"Fn::GetAtt {'.'.join(map(str, arg))}")
            return Unknown(f"{key} {json.dumps(arg, sort_keys=True, default=str)}")
    return {k: _resolve(v, params) for k, v in value.items()}
