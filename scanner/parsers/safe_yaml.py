"""Load YAML (and JSON) safely into plain values plus a line for every path.

The loader walks libyaml's *event* stream with an explicit stack, so it never
recurses (a document nested 10,000 deep cannot overflow the C or Python
stack), never constructs arbitrary Python objects (only the safe scalar
types), and refuses documents whose aliases would expand past a size limit
(the "billion laughs" bomb).  Aliases share the anchored value instead of
copying it, and the expanded size is computed while building.

Custom tags (CloudFormation's ``!Ref``, ``!Sub`` ...) are handed to a caller
supplied ``tag_handler`` so format quirks stay in the format's parser.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from scanner.errors import ParseError

try:  # libyaml is an order of magnitude faster; fall back to pure Python
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

MAX_DEPTH = 200
MAX_EXPANDED_NODES = 1_000_000

Path = tuple  # a path of str keys and int indices
TagHandler = Callable[[str, Any], Any]


@dataclass
class Document:
    """One YAML document: its value and the 1-based line of every path."""

    value: Any
    lines: dict[Path, int]
    start_line: int
    end_line: int


_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()
_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
}


def _scalar(event: yaml.ScalarEvent) -> tuple[str, Any]:
    """Return (tag, value) for a scalar, constructing only safe types."""
    tag = event.tag
    if tag is None or tag == "!":
        tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and ":" in event.value:
        # YAML 1.1 base-60 numbers (22:22 -> 1342): YAML 1.2 parsers, as used by
        # Docker Compose, Kubernetes and GitHub, read these as strings.
        return "tag:yaml.org,2002:str", event.value
    if tag in _SCALAR_TAGS:
        node = yaml.ScalarNode(tag, event.value)
        try:
            return tag, _constructor.yaml_constructors[tag](_constructor, node)
        except (ValueError, yaml.YAMLError):
            return tag, event.value
    return tag, event.value  # str, timestamps and binary stay text


class _Frame:
    __slots__ = ("kind", "value", "path", "tag", "anchor", "key", "size", "line", "merge")

    def __init__(self, kind: str, path: Path, tag: str | None, anchor: str | None, line: int) -> None:
        self.kind = kind
        self.value: Any = {} if kind == "map" else []
        self.path = path
        self.tag = tag
        self.anchor = anchor
        self.key: Any = _NO_KEY
        self.size = 1
        self.line = line
        self.merge = False


_NO_KEY = object()


def _hashable(key: Any) -> Any:
    if isinstance(key, (dict, list)):
        return repr(key)
    return key


def load_documents(
    text: str,
    *,
    tag_handler: TagHandler | None = None,
    max_depth: int = MAX_DEPTH,
    max_nodes: int = MAX_EXPANDED_NODES,
    language: str = "YAML",
) -> list[Document]:
    """Parse every document of ``text``.  Raises ParseError with a line."""
    docs: list[Document] = []
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int]] = {}
    lines: dict[Path, int] = {}
    doc_start = 1
    total = 0
    root: Any = None

    def add(value: Any, size: int, line: int, scalar: bool) -> None:
        nonlocal root, total
        total += size
        if total > max_nodes:
            raise ParseError(f"{language} expands to more than {max_nodes} nodes (alias bomb?)", line)
        if not stack:
            root = value
            lines[()] = line
            return
        top = stack[-1]
        top.size += size
        if top.kind == "seq":
            lines[top.path + (len(top.value),)] = line
            top.value.append(value)
            return
        if top.key is _NO_KEY:  # this value is a key
            if not scalar:
                value = _hashable(value)
            top.key = value
            lines[top.path + (value,)] = line
            return
        key, top.key = top.key, _NO_KEY
        if key == "<<" and isinstance(value, (dict, list)):
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    for k, v in item.items():
                        top.value.setdefault(k, v)
                        lines.setdefault(top.path + (k,), line)
            lines.pop(top.path + ("<<",), None)
            return
        top.value[key] = value

    def child_path() -> Path:
        if not stack:
            return ()
        top = stack[-1]
        if top.kind == "seq":
            return top.path + (len(top.value),)
        if top.key is _NO_KEY:
            return top.path + ("<key>",)
        return top.path + (top.key,)

    try:
        for event in yaml.parse(text, Loader=_Loader):
            line = event.start_mark.line + 1 if event.start_mark else 1
            if isinstance(event, yaml.ScalarEvent):
                tag, value = _scalar(event)
                if tag_handler is not None and tag.startswith("!"):
                    value = tag_handler(tag, value)
                if event.anchor:
                    anchors[event.anchor] = (value, 1)
                add(value, 1, line, True)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= max_depth:
                    raise ParseError(f"{language} nesting deeper than {max_depth} levels", line)
                kind = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
                stack.append(_Frame(kind, child_path(), event.tag, event.anchor, line))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                value = frame.value
                if tag_handler is not None and frame.tag and frame.tag.startswith("!"):
                    value = tag_handler(frame.tag, value)
                if frame.anchor:
                    anchors[frame.anchor] = (value, frame.size)
                total -= frame.size - 1  # children were already counted
                add(value, frame.size, frame.line, False)
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in anchors:
                    raise ParseError(f"unknown alias *{event.anchor}", line)
                value, size = anchors[event.anchor]
                add(value, size, line, not isinstance(value, (dict, list)))
            elif isinstance(event, yaml.DocumentStartEvent):
                doc_start = line
                root, lines, anchors = None, {}, {}
            elif isinstance(event, yaml.DocumentEndEvent):
                end = event.end_mark.line + 1 if event.end_mark else line
                docs.append(Document(root, lines, doc_start, max(doc_start, end)))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or "syntax error"
        raise ParseError(f"invalid {language}: {reason}", mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise ParseError(f"invalid {language}: {exc}", None) from None
    return docs


def load_json(text: str) -> Document:
    """Parse JSON with line marks.

    JSON is (for our purposes) a subset of YAML flow syntax; strict JSON has
    no raw tab inside strings, so tabs can be turned into spaces safely
    (YAML refuses tabs in some positions where JSON allows them).
    """
    docs = load_documents(text.replace("\t", " "), language="JSON")
    if len(docs) != 1:
        raise ParseError("invalid JSON: expected exactly one value", 1)
    return docs[0]
