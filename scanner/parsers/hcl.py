"""HCL2 → plain values with a line for every path.

python-hcl2's dict output has no positions and keeps quotes around strings, so
we parse once with its Lark grammar (``hcl2.parses_to_tree``, which keeps
``meta.line``) and convert the tree ourselves.  Literal values become Python
values; references, templates and a few pure functions become small
expression objects that ``resolve`` evaluates against variables and locals;
everything else becomes ``Unknown`` carrying its source text.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lark import Token
from lark import Tree

from scanner.errors import ParseError
from scanner.model import Unknown

Path = tuple


@dataclass(frozen=True)
class Ref:
    """A traversal such as ``var.cidr`` or ``aws_kms_key.main.arn``."""

    parts: tuple
    text: str


@dataclass(frozen=True)
class Template:
    """A string with interpolations: literal str parts and expressions."""

    parts: tuple
    text: str


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple
    text: str


@dataclass(frozen=True)
class Dynamic:
    """A ``dynamic`` block: its ``for_each`` and one templated entry."""

    for_each: Any
    content: Any


@dataclass
class Block:
    """A top-level block: its type, labels, converted body and lines."""

    type: str
    labels: list[str]
    body: dict
    lines: dict[Path, int]  # paths relative to the body
    start_line: int
    end_line: int


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)")


def _unescape(chars: str) -> str:
    def sub(match: re.Match) -> str:
        seq = match.group(1)
        if seq[0] in "uU" and len(seq) > 1:
            return chr(int(seq[1:], 16))
        return _ESCAPES.get(seq, "\\" + seq)

    return _ESCAPE_RE.sub(sub, chars) if "\\" in chars else chars


class _Converter:
    def __init__(self, text: str) -> None:
        self.text = text

    def source(self, node: Tree | Token) -> str:
        if isinstance(node, Token):
            return str(node)
        meta = node.meta
        if getattr(meta, "empty", True):
            return ""
        return self.text[meta.start_pos : meta.end_pos]

    # ---- bodies -------------------------------------------------------
    def body(self, node: Tree, path: Path, lines: dict[Path, int]) -> dict:
        out: dict = {}
        for child in node.children:
            if not isinstance(child, Tree):
                continue
            if child.data == "attribute":
                name = self.name(child.children[0])
                lines[path + (name,)] = child.meta.line
                out[name] = self.expr(child.children[-1], path + (name,), lines)
            elif child.data == "block":
                btype, labels, inner = self.block_parts(child)
                for_each = None
                if btype == "dynamic" and labels:
                    # dynamic "ingress" { content { ... } }: one templated entry
                    btype = labels[0]
                    for_each = next((a for a in inner.children if isinstance(a, Tree) and a.data == "attribute" and self.name(a.children[0]) == "for_each"), None)
                    content = next((b for b in inner.children if isinstance(b, Tree) and b.data == "block" and self.name(b.children[0]) == "content"), None)
                    inner = self.block_parts(content)[2] if content is not None else Tree("body", [])
                    labels = []
                entries = out.setdefault(btype, [])
                if not isinstance(entries, list):  # attribute and block of one name
                    continue
                epath = path + (btype, len(entries))
                lines.setdefault(path + (btype,), child.meta.line)
                lines[epath] = child.meta.line
                value = self.body(inner, epath, lines)
                if labels:
                    value = {"__labels__": labels, **value}
                if for_each is not None:
                    value = Dynamic(self.expr(for_each.children[-1], epath, {}), value)
                entries.append(value)
        return out

    def block_parts(self, node: Tree) -> tuple[str, list[str], Tree]:
        names: list[str] = []
        inner = None
        for child in node.children:
            if isinstance(child, Tree) and child.data == "body":
                inner = child
            elif isinstance(child, Tree) and child.data in ("identifier", "keyword", "literal_value", "string"):
                names.append(self.name(child))
        return names[0], names[1:], inner if inner is not None else Tree("body", [])

    def name(self, node: Tree | Token) -> str:
        if isinstance(node, Token):
            return str(node)
        if node.data == "string":
            value = self.string(node, (), {})
            return value if isinstance(value, str) else self.source(node)
        return "".join(str(t) for t in node.scan_values(lambda _: True))

    # ---- expressions --------------------------------------------------
    def expr(self, node: Any, path: Path, lines: dict[Path, int]) -> Any:
        if isinstance(node, Token):
            return Unknown(str(node))
        data = node.data
        if data == "expr_term":
            kids = [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]
            if len(kids) == 1 and len(node.children) == 1:
                return self.expr(kids[0], path, lines)
            if kids:  # ( expression )
                return self.expr(kids[0], path, lines)
            return Unknown(self.source(node))
        handler = getattr(self, "x_" + data, None)
        if handler is None:
            return Unknown(self.source(node))
        return handler(node, path, lines)

    def x_int_lit(self, node: Tree, path: Path, lines: dict) -> Any:
        return int(str(node.children[0]))

    def x_float_lit(self, node: Tree, path: Path, lines: dict) -> Any:
        return float(str(node.children[0]))

    def x_literal_value(self, node: Tree, path: Path, lines: dict) -> Any:
        return {"true": True, "false": False, "null": None}[str(node.children[0])]

    def x_identifier(self, node: Tree, path: Path, lines: dict) -> Any:
        return Ref((str(node.children[0]),), self.source(node))

    def x_string(self, node: Tree, path: Path, lines: dict) -> Any:
        return self.string(node, path, lines)

    def string(self, node: Tree, path: Path, lines: dict) -> Any:
        parts: list = []
        for part in node.children:
            if isinstance(part, Token):
                continue  # the quotes
            inner = part.children[0]
            if isinstance(inner, Token):
                if inner.type == "ESCAPED_INTERPOLATION":
                    parts.append(str(inner)[1:])
                elif inner.type == "ESCAPED_DIRECTIVE":
                    parts.append(str(inner)[1:])
                else:
                    parts.append(_unescape(str(inner)))
            elif inner.data == "interpolation":
                expr_node = next(c for c in inner.children if isinstance(c, Tree))
                parts.append(self.expr(expr_node, path, lines))
            else:  # template directives: not evaluated
                return Unknown(self.source(node))
        if all(isinstance(p, str) for p in parts):
            return "".join(parts)
        if len(parts) == 1:  # "${x}" is x itself, type preserved
            return parts[0]
        return Template(tuple(parts), self.source(node))

    def x_heredoc_template(self, node: Tree, path: Path, lines: dict) -> Any:
        return self.heredoc(str(node.children[0]), trim=False)

    def x_heredoc_template_trim(self, node: Tree, path: Path, lines: dict) -> Any:
        return self.heredoc(str(node.children[0]), trim=True)

    def heredoc(self, raw: str, trim: bool) -> Any:
        body_lines = raw.split("\n")[1:-2]  # drop <<EOT and the closing marker
        if trim:
            indents = [len(ln) - len(ln.lstrip()) for ln in body_lines if ln.strip()]
            cut = min(indents) if indents else 0
            body_lines = [ln[cut:] for ln in body_lines]
        body = "\n".join(ln.rstrip("\r") for ln in body_lines) + ("\n" if body_lines else "")
        if "${" in body.replace("$${", "") or "%{" in body.replace("%%{", ""):
            return Unknown(raw)
        return body.replace("$${", "${").replace("%%{", "%{")

    def x_tuple(self, node: Tree, path: Path, lines: dict) -> Any:
        out = []
        for child in node.children:
            if isinstance(child, Tree) and child.data != "new_line_or_comment":
                lines[path + (len(out),)] = child.meta.line
                out.append(self.expr(child, path + (len(out),), lines))
        return out

    def x_object(self, node: Tree, path: Path, lines: dict) -> Any:
        out: dict = {}
        for elem in node.children:
            if not (isinstance(elem, Tree) and elem.data == "object_elem"):
                continue
            key_node = elem.children[0]
            key_expr = key_node.children[0] if key_node.children else key_node
            key = self.expr(key_expr, path, {}) if isinstance(key_expr, Tree) and key_expr.data != "keyword" else self.name(key_expr)
            if isinstance(key, Ref) and len(key.parts) == 1:
                key = key.parts[0]
            if not isinstance(key, str):
                return Unknown(self.source(node))
            lines[path + (key,)] = elem.meta.line
            out[key] = self.expr(elem.children[-1], path + (key,), lines)
        return out

    def x_get_attr_expr_term(self, node: Tree, path: Path, lines: dict) -> Any:
        base = self.expr(node.children[0], path, {})
        attr = self.name(node.children[1].children[-1])
        if isinstance(base, Ref):
            return Ref(base.parts + (attr,), self.source(node))
        return Unknown(self.source(node))

    def x_index_expr_term(self, node: Tree, path: Path, lines: dict) -> Any:
        base = self.expr(node.children[0], path, {})
        index = node.children[1]
        if index.data == "short_index":
            key: Any = int(str(index.children[-1]))
        else:
            inner = next(c for c in index.children if isinstance(c, Tree) and c.data != "new_line_or_comment")
            key = self.expr(inner, path, {})
        if isinstance(base, Ref) and isinstance(key, (int, str)):
            return Ref(base.parts + (key,), self.source(node))
        return Unknown(self.source(node))

    def x_function_call(self, node: Tree, path: Path, lines: dict) -> Any:
        name = self.name(node.children[0])
        args: list = []
        for child in node.children:
            if isinstance(child, Tree) and child.data == "arguments":
                for arg in child.children:
                    if isinstance(arg, Tree) and arg.data != "new_line_or_comment":
                        args.append(self.expr(arg, path, lines))
        if name not in FUNCTIONS or name.startswith("__"):
            return Unknown(self.source(node))
        return Call(name, tuple(args), self.source(node))

    def x_unary_op(self, node: Tree, path: Path, lines: dict) -> Any:
        op = "__neg__" if str(node.children[0]) == "-" else "__not__"
        value = self.expr(node.children[1], path, lines)
        return Call(op, (value,), self.source(node))


def _jsonencode(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=False)


def _tostring(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value if isinstance(value, str) else Unknown("tostring")


def _neg(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return -value
    return Unknown("-")


def _not(value: Any) -> Any:
    return (not value) if isinstance(value, bool) else Unknown("!")


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "__neg__": _neg,
    "__not__": _not,
    "jsonencode": _jsonencode,
    "tostring": _tostring,
    "tolist": lambda v: list(v) if isinstance(v, list) else Unknown("tolist"),
    "toset": lambda v: list(v) if isinstance(v, list) else Unknown("toset"),
    "lower": lambda v: v.lower() if isinstance(v, str) else Unknown("lower"),
    "upper": lambda v: v.upper() if isinstance(v, str) else Unknown("upper"),
    "jsondecode": lambda v: json.loads(v) if isinstance(v, str) else Unknown("jsondecode"),
}


def parse_blocks(text: str) -> list[Block]:
    """Parse HCL text into its top-level blocks.  Raises ParseError."""
    import hcl2  # deferred: lark grammar loading is the costly part of start-up
    from lark.exceptions import LarkError
    from lark.exceptions import UnexpectedInput

    try:
        tree = hcl2.parses_to_tree(text)
    except UnexpectedInput as exc:
        raise ParseError(f"invalid HCL: unexpected {_describe(exc)}", getattr(exc, "line", None)) from None
    except (LarkError, RecursionError, ValueError) as exc:
        raise ParseError(f"invalid HCL: {type(exc).__name__}", None) from None
    conv = _Converter(text)
    body_node = tree.children[0]
    blocks: list[Block] = []
    top_lines: dict[Path, int] = {}
    try:
        for child in body_node.children:
            if isinstance(child, Tree) and child.data == "block":
                btype, labels, inner = conv.block_parts(child)
                lines: dict[Path, int] = {}
                body = conv.body(inner, (), lines)
                blocks.append(Block(btype, labels, body, lines, child.meta.line, child.meta.end_line))
            elif isinstance(child, Tree) and child.data == "attribute":
                # top-level attributes only occur in *.tfvars files
                name = conv.name(child.children[0])
                top_lines[(name,)] = child.meta.line
                value = conv.expr(child.children[-1], (name,), top_lines)
                blocks.append(Block("=", [name], {name: value}, dict(top_lines), child.meta.line, child.meta.end_line))
    except RecursionError:
        raise ParseError("HCL nested too deeply", None) from None
    return blocks


def _describe(exc: Exception) -> str:
    """The kind of token, never its text: a diagnostic must not echo a secret."""
    token = getattr(exc, "token", None)
    if token is not None:
        return f"{getattr(token, 'type', 'token')} token" + (f" at column {token.column}" if getattr(token, "column", None) else "")
    column = getattr(exc, "column", None)
    return "character" + (f" at column {column}" if column else "")


class Scope:
    """Values that references can resolve to: var.*, local.* (lazily)."""

    def __init__(self, variables: dict[str, Any], local_exprs: dict[str, Any]) -> None:
        self.variables = variables
        self.local_exprs = local_exprs
        self.locals: dict[str, Any] = {}
        self._resolving: set[str] = set()

    def lookup(self, ref: Ref) -> Any:
        head = ref.parts[0]
        if head == "var" and len(ref.parts) >= 2:
            value = self.variables.get(ref.parts[1], _MISSING)
            return _descend(value, ref.parts[2:], ref.text)
        if head == "local" and len(ref.parts) >= 2:
            name = ref.parts[1]
            if name not in self.locals:
                if name not in self.local_exprs or name in self._resolving:
                    return Unknown(ref.text)
                self._resolving.add(name)
                self.locals[name] = resolve(self.local_exprs[name], self)
                self._resolving.discard(name)
            return _descend(self.locals[name], ref.parts[2:], ref.text)
        return Unknown(ref.text)


_MISSING = Unknown("<missing>")


def _descend(value: Any, rest: tuple, text: str) -> Any:
    if value is _MISSING:
        return Unknown(text)
    for key in rest:
        if isinstance(value, dict) and key in value:
            value = value[key]
        elif isinstance(value, list) and isinstance(key, int) and -len(value) <= key < len(value):
            value = value[key]
        else:
            return Unknown(text)
    return value


def resolve(value: Any, scope: Scope) -> Any:
    """Evaluate expression objects; whatever cannot be known becomes Unknown."""
    if isinstance(value, dict):
        return {k: resolve(v, scope) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, scope) for v in value]
    if isinstance(value, Ref):
        return scope.lookup(value)
    if isinstance(value, Dynamic):
        # no blocks at all for an empty for_each; None keeps later indices (and lines) in place
        if resolve(value.for_each, scope) in ([], {}):
            return None
        return resolve(value.content, scope)
    if isinstance(value, Template):
        out = []
        for part in value.parts:
            part = resolve(part, scope)
            if isinstance(part, bool):
                part = "true" if part else "false"
            if not isinstance(part, (str, int, float)):
                return Unknown(value.text)
            out.append(str(part))
        return "".join(out)
    if isinstance(value, Call):
        args = [resolve(a, scope) for a in value.args]
        if value.name == "jsonencode" and len(args) == 1 and isinstance(args[0], (dict, list)) and contains_unknown(args[0]):
            # a policy that references an ARN is still mostly known: keep the
            # structure (with its unknown leaves) instead of losing all of it
            return args[0]
        if len(args) != 1 or contains_unknown(args[0]):
            return Unknown(value.text)
        try:
            result = FUNCTIONS[value.name](args[0])
        except (ValueError, TypeError):
            return Unknown(value.text)
        return Unknown(value.text) if isinstance(result, Unknown) else result
    return value


def contains_unknown(value: Any) -> bool:
    if isinstance(value, Unknown):
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return False
