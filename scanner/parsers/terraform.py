"""Terraform configuration (``*.tf``, ``*.tf.json``, ``*.tfvars``) → resources.

Parsing is per file (``parse``); resolving ``var.*`` and ``local.*`` needs the
whole module directory, so ``link`` groups the per-file results by directory,
builds a scope from variable defaults, ``terraform.tfvars`` / ``*.auto.tfvars``
and locals, and resolves every resource body.  What cannot be resolved stays
``Unknown`` (never a pass, never a fail).
"""
from __future__ import annotations

import posixpath
from dataclasses import replace
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


MODULE_META_ARGS = {"source", "version", "count", "for_each", "providers", "depends_on"}
MAX_MODULE_DEPTH = 10


def link(resources: list[Resource]) -> list[Resource]:
    """Resolve references per module directory; drop pseudo resources.

    A directory called from another scanned directory through a local
    ``module`` block (``source = "./modules/x"``) is evaluated once per call,
    with the caller's arguments overriding its variable defaults, and its
    resources are named ``module.<call>.<address>``; it is not evaluated on its
    own as well, which would only report its defaults.  Other directories are
    root modules: variable defaults, then ``terraform.tfvars`` and
    ``*.auto.tfvars``.
    """
    by_dir: dict[str, list[Resource]] = {}
    for res in resources:
        by_dir.setdefault(res.group, []).append(res)
    defaults: dict[str, dict[str, Any]] = {}
    roots: dict[str, dict[str, Any]] = {}
    local_exprs: dict[str, dict[str, Any]] = {}
    empty = hcl.Scope({}, {})
    for group, members in by_dir.items():
        defaults[group] = {r.name: hcl.resolve(r.attributes["default"], empty) for r in members if r.type == _VARIABLE and "default" in r.attributes}
        local_exprs[group] = {}
        for res in members:
            if res.type == _LOCALS:
                local_exprs[group].update(res.attributes)
        variables = dict(defaults[group])
        for res in sorted((r for r in members if r.type == _TFVARS), key=_tfvars_order):
            base = posixpath.basename(res.file)
            if base.startswith("terraform.tfvars") or ".auto.tfvars" in base:
                variables.update({k: hcl.resolve(v, empty) for k, v in res.attributes.items()})
        roots[group] = variables
    called = {target for group in by_dir for _, target in _local_calls(group, by_dir, roots[group], local_exprs)}
    out: list[Resource] = []
    for group in sorted(by_dir):
        if group not in called:
            out.extend(_instantiate(group, roots[group], "", by_dir, defaults, local_exprs, (group,)))
    return out


def _tfvars_order(res: Resource) -> tuple:
    # terraform.tfvars first, then *.auto.tfvars in lexical order (Terraform's precedence)
    return (not posixpath.basename(res.file).startswith("terraform.tfvars"), res.file)


def _local_calls(group: str, by_dir: dict, variables: dict, local_exprs: dict):
    """(module resource, target directory) for each call of a scanned local module."""
    scope = hcl.Scope(variables, local_exprs[group])
    for res in by_dir[group]:
        if res.type != "module":
            continue
        source = hcl.resolve(res.attributes.get("source"), scope)
        if not isinstance(source, str) or not source.startswith(("./", "../")):
            continue
        target = posixpath.normpath(posixpath.join(group, source))
        if target in by_dir and target != group:
            yield res, target


def _instantiate(group: str, variables: dict, prefix: str, by_dir: dict, defaults: dict, local_exprs: dict, stack: tuple) -> list[Resource]:
    scope = hcl.Scope(variables, local_exprs[group])
    out: list[Resource] = []
    for res in by_dir[group]:
        if res.type in _PSEUDO:
            continue
        out.append(replace(
            res,
            attributes=hcl.resolve(res.attributes, scope),
            name=prefix + res.name,
            group=group + ("#" + prefix.rstrip(".") if prefix else ""),
        ))
    if len(stack) >= MAX_MODULE_DEPTH:
        return out
    for call, target in _local_calls(group, by_dir, variables, local_exprs):
        if target in stack:
            continue  # a module cycle: Terraform rejects it, we just stop
        args = {k: hcl.resolve(v, scope) for k, v in call.attributes.items() if k not in MODULE_META_ARGS}
        child_vars = {**defaults[target], **args}
        out.extend(_instantiate(target, child_vars, prefix + call.name + ".", by_dir, defaults, local_exprs, stack + (target,)))
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
