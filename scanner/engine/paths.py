"""Attribute paths in rules: ``ingress[*].cidr_blocks[*]``, ``jobs.*.steps[*].uses``,
``metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]``,
``$containers[*].securityContext.privileged``.

``[*]`` iterates a list (a lone mapping counts as a one-element list, as a
Terraform JSON block or a CloudFormation property may be either), ``*``
iterates a mapping's values, and a key applied to a list applies to each
element, so rules never see HCL's wrapping of blocks in lists.  ``$name`` at
the start expands to the resource's anchor paths (Kubernetes pod specs).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from scanner.model import Resource
from scanner.model import Unknown

LIST_WILD = ("[*]",)
MAP_WILD = ("*",)

_TOKEN = re.compile(r'\$(?P<anchor>[A-Za-z_]+)|\[(?P<idx>-?\d+)\]|\[(?P<star>\*)\]|\["(?P<qkey>(?:[^"\\]|\\.)*)"\]|(?P<key>[^.\[\]]+)|(?P<dot>\.)')


class PathSyntaxError(ValueError):
    pass


def parse_path(text: str) -> tuple[str | None, tuple]:
    """Return (anchor or None, segments)."""
    anchor = None
    segments: list[Any] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise PathSyntaxError(f"bad path {text!r} at {pos}")
        pos = m.end()
        if m.group("anchor") is not None:
            if segments or anchor:
                raise PathSyntaxError(f"anchor must start the path: {text!r}")
            anchor = m.group("anchor")
        elif m.group("idx") is not None:
            segments.append(int(m.group("idx")))
        elif m.group("star"):
            segments.append(LIST_WILD)
        elif m.group("qkey") is not None:
            segments.append(m.group("qkey").replace('\\"', '"'))
        elif m.group("key") is not None:
            key = m.group("key")
            segments.append(MAP_WILD if key == "*" else key)
    return anchor, tuple(segments)


def walk(value: Any, segments: tuple, prefix: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Yield (path, value) for every value the segments reach."""
    if not segments or isinstance(value, Unknown):
        # an unknown value part-way down stands for everything below it:
        # report it, so conditions become unknown instead of "absent"
        yield prefix, value
        return
    seg, rest = segments[0], segments[1:]
    if seg is LIST_WILD:
        if isinstance(value, list):
            for i, item in enumerate(value):
                yield from walk(item, rest, prefix + (i,))
        elif isinstance(value, dict):
            yield from walk(value, rest, prefix)
    elif seg is MAP_WILD:
        if isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, rest, prefix + (key,))
    elif isinstance(seg, int):
        if isinstance(value, list) and -len(value) <= seg < len(value):
            yield from walk(value[seg], rest, prefix + (seg % len(value),))
    elif isinstance(value, dict):
        if seg in value:
            yield from walk(value[seg], rest, prefix + (seg,))
    elif isinstance(value, list):  # a key on a list of blocks applies to each block
        for i, item in enumerate(value):
            if isinstance(item, dict) and seg in item:
                yield from walk(item[seg], rest, prefix + (i, seg))


def base_paths(resource: Resource, anchor: str | None) -> list[tuple]:
    """The starting points of a path: the resource root or its anchor paths."""
    if anchor is None:
        return [()]
    return list(resource.anchors.get(anchor, ()))


def get(value: Any, path: tuple) -> Any:
    for key in path:
        value = value[key]
    return value
