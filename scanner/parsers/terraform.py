"""Terraform configuration (``*.tf``, ``*.tf.json``, ``*.tfvars``) → resources.

Parsing is per file (``parse``); resolving ``var.*`` and ``local.*`` needs the
whole module directory, so ``link`` groups the per-file results by directory,
builds a scope from variable defaults, ``terraform.tfvars`` / ``*.auto.tfvars``
and locals, and resolves every resource body.  What cannot be resolved stays
``Unknown`` (never a pass, never a fail).
"""
from __future__ import annotations

import posixpath
from typing import Any

from scanner.errors import ParseError
from scanner.model import Resource
from scanner.model import Unknown
from scanner.parsers import hcl
from scanner.parsers.safe_yaml import load_json

FORMAT = "terraform"

# pseudo resource types carried from parse() to link(); never reported
_VARIABLE = "__variable__"
_LOCALS = "__locals__"
_TFVARS = "__tfvars__"
_PSEUDO = {_VARIABLE, _LOCALS, _TFVARS}


def parse(text: str, file: str) -> list[Resource]:
    if file.endswith(".json"):
        blocks = _json_blocks(text)
    else:
        blocks = hcl.parse_blocks(text)
    is_tfvars = file.endswith((".tfvars", ".tfvars.json"))
    out: list[Resource] = []
    for block in blocks:
        if is_tfvars or block.type == "=":
            if block.type == "=" or is_tfvars:
                out.append(_res(_TFVARS, "tfvars", file, block, block.body))
            continue
        kind, labels = block.type, block.labels
        if kind == "resource" and len(labels) >= 2:
            out.append(_res(labels[0], f"{labels[0]}.{labels[1]}", file, block, block.body))
        elif kind == "data" and len(labels) >= 2:
            out.append(_res(f"data.{labels[0]}", f"data.{labels[0]}.{labels[1]}", file, block, block.body))
        elif kind == "provider" and labels:
            alias = block.body.get("alias")
            name = f"provider.{labels[0]}" + (f".{alias}" if isinstance(alias, str) else "")
            out.append(_res("provider", name, file, block, block.body))
        elif kind == "module" and labels:
            out.append(_res("module", f"module.{labels[0]}", file, block, block.body))
        elif kind == "variable" and labels:
            out.append(_res(_VARIABLE, labels[0], file, block, block.body))
        elif kind == "locals":
            out.append(_res(_LOCALS, "locals", file, block, block.body))
        elif kind == "terraform":
            out.append(_res("terraform", "terraform", file, block, block.body))
    return out


def _res(rtype: str, name: str, file: str, block: hcl.Block, body: Any) -> Resource:
    return Resource(
        format=FORMAT,
        schema="terraform",
        type=rtype,
        name=name,
        file=file,
        start_line=block.start_line,
        end_line=block.end_line,
        attributes=body,
        lines=block.lines,
        group=posixpath.dirname(file),
    )


def link(resources: list[Resource]) -> list[Resource]:
    """Resolve references per module directory; drop pseudo resources."""
    by_dir: dict[str, list[Resource]] = {}
    for res in resources:
        by_dir.setdefault(res.group, []).append(res)
    out: list[Resource] = []
    for group in sorted(by_dir):
        members = by_dir[group]
        variables: dict[str, Any] = {}
        local_exprs: dict[str, Any] = {}
        for res in members:
            if res.type == _VARIABLE and "default" in res.attributes:
                variables[res.name] = res.attributes["default"]
            elif res.type == _LOCALS:
                local_exprs.update(res.attributes)
        empty = hcl.Scope({}, {})
        variables = {k: hcl.resolve(v, empty) for k, v in variables.items()}
        # terraform.tfvars, then *.auto.tfvars in lexical order (Terraform's precedence)
        tfvars = sorted(
            (r for r in members if r.type == _TFVARS),
            key=lambda r: (not posixpath.basename(r.file).startswith("terraform.tfvars"), r.file),
        )
        for res in tfvars:
            base = posixpath.basename(res.file)
            if base.startswith("terraform.tfvars") or ".auto.tfvars" in base:
                for key, value in res.attributes.items():
                    variables[key] = hcl.resolve(value, empty)
        scope = hcl.Scope(variables, local_exprs)
        for res in members:
            if res.type in _PSEUDO:
                continue
            res.attributes = hcl.resolve(res.attributes, scope)
            out.append(res)
    return out


# ---- Terraform JSON syntax (*.tf.json) -------------------------------------
def _json_blocks(text: str) -> list[hcl.Block]:
    doc = load_json(text)
    if not isinstance(doc.value, dict):
        raise ParseError("Terraform JSON must be an object", 1)
    blocks: list[hcl.Block] = []
    depth = {"resource": 2, "data": 2, "provider": 1, "module": 1, "variable": 1, "locals": 0}
    for kind, levels in depth.items():
        if kind not in doc.value:
            continue
        for labels, body, path in _walk_labels(doc.value[kind], levels, (kind,)):
            lines = {p[len(path):]: ln for p, ln in doc.lines.items() if p[: len(path)] == path}
            start = doc.lines.get(path, 1)
            blocks.append(hcl.Block(kind, labels, _json_exprs(body), lines, start, start))
    return blocks


def _walk_labels(value: Any, levels: int, path: tuple):
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk_labels(item, levels, path + (i,))
        return
    if levels == 0:
        if isinstance(value, dict):
            yield [], value, path
        return
    if isinstance(value, dict):
        for key, inner in value.items():
            for labels, body, p in _walk_labels(inner, levels - 1, path + (key,)):
                yield [str(key)] + labels, body, p


def _json_exprs(value: Any) -> Any:
    """Strings with ``${...}`` are templates in Terraform JSON: unknown here,
    except a single plain ``${var.x}`` / ``${local.x}`` reference."""
    if isinstance(value, dict):
        return {k: _json_exprs(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_exprs(v) for v in value]
    if isinstance(value, str) and "${" in value:
        inner = value[2:-1] if value.startswith("${") and value.endswith("}") and value.count("${") == 1 else ""
        parts = inner.split(".")
        if len(parts) >= 2 and parts[0] in ("var", "local") and all(p.replace("_", "").replace("-", "").isalnum() for p in parts):
            return hcl.Ref(tuple(parts), value)
        return Unknown(value)
    return value
