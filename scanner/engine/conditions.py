"""Compile a rule's declarative ``match`` and evaluate it with three-valued logic.

Forms (validated beforehand by the rule JSON Schema):

* ``{all: [c, ...]}``, ``{any: [c, ...]}``, ``{not: c}``
* ``{each: PATH, where: c}`` – true when some element at PATH satisfies ``c``
  (``c``'s paths are relative to the element); the finding points inside it
* ``{path: PATH, op: OP, value: V, quantifier: any|all}`` – a leaf; PATH may
  reach many values through wildcards: ``any`` (default) needs one to satisfy
  OP, ``all`` needs every one (and at least one)
* ``{path: PATH, op: exists|absent}``

``V`` may be ``{param: NAME}``, filled from the rule's parameters (which a
policy pack may override).

Evaluation returns ``(True | False | None, path)``; ``None`` is unknown and
never yields a finding; ``path`` is where the finding points.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scanner.engine import operators
from scanner.engine.paths import base_paths
from scanner.engine.paths import parse_path
from scanner.engine.paths import walk
from scanner.model import Resource
from scanner.model import Unknown

Result = tuple["bool | None", tuple]
Evaluator = Callable[[Resource, Any, tuple, dict], Result]


def compile_condition(spec: dict) -> Evaluator:
    if "all" in spec:
        parts = [compile_condition(c) for c in spec["all"]]
        return lambda res, value, at, params: _all(parts, res, value, at, params)
    if "any" in spec:
        parts = [compile_condition(c) for c in spec["any"]]
        return lambda res, value, at, params: _any(parts, res, value, at, params)
    if "not" in spec:
        inner = compile_condition(spec["not"])

        def negate(res: Resource, value: Any, at: tuple, params: dict) -> Result:
            result, _ = inner(res, value, at, params)
            return (None if result is None else not result), at

        return negate
    if "each" in spec:
        anchor, segments = parse_path(spec["each"])
        where = compile_condition(spec["where"])

        def each(res: Resource, value: Any, at: tuple, params: dict) -> Result:
            unknown = False
            for result, where_path in _each_results(res, value, at, anchor, segments, where, params):
                if result:
                    return True, where_path
                if result is None:
                    unknown = True
            return (None if unknown else False), at

        return each
    return _compile_leaf(spec)


def _each_results(res: Resource, value: Any, at: tuple, anchor: str | None, segments: tuple, where: Evaluator, params: dict):
    """(result, location) of ``where`` for every element an ``each`` visits."""
    for start in _starts(res, value, at, anchor):
        for path, item in walk(start[1], segments, start[0]):
            if isinstance(item, Unknown):
                yield None, path
            else:
                yield where(res, item, path, params)


def _starts(res: Resource, value: Any, at: tuple, anchor: str | None) -> list[tuple[tuple, Any]]:
    if anchor is None:
        return [(at, value)]
    out = []
    for base in base_paths(res, anchor):
        out.extend(walk(res.attributes, base, ()))
    return out


def _all(parts: list[Evaluator], res: Resource, value: Any, at: tuple, params: dict) -> Result:
    """The finding points at the most specific (deepest) path any condition
    names; on a tie, the first.  Wrap a guard in ``not`` to keep it from
    taking the location."""
    unknown = False
    where = at
    for part in parts:
        result, path = part(res, value, at, params)
        if result is False:
            return False, at
        if result is None:
            unknown = True
        elif len(path) > len(where):
            where = path
    return (None if unknown else True), where


def _any(parts: list[Evaluator], res: Resource, value: Any, at: tuple, params: dict) -> Result:
    unknown = False
    for part in parts:
        result, path = part(res, value, at, params)
        if result:
            return True, path
        if result is None:
            unknown = True
    return (None if unknown else False), at


def _compile_leaf(spec: dict) -> Evaluator:
    if spec["path"] == "@key":
        return _compile_key_leaf(spec)
    anchor, segments = parse_path(spec["path"])
    op_name = spec["op"]
    quantifier = spec.get("quantifier", "any")
    raw_expected = spec.get("value")

    def expected_value(params: dict) -> Any:
        if isinstance(raw_expected, dict) and set(raw_expected) == {"param"}:
            return params.get(raw_expected["param"])
        return raw_expected

    if op_name in operators.EXISTENCE_OPS:
        want_present = op_name == "exists"

        def existence(res: Resource, value: Any, at: tuple, params: dict) -> Result:
            if anchor is not None and not res.anchors.get(anchor):
                return False, at  # the resource has no such anchor: the check does not apply
            found = []
            starts = _starts(res, value, at, anchor)
            for start in starts:
                found.extend(walk(start[1], segments, start[0]))
            # null and [] count as absent (a plan renders an unset block as []);
            # {} does not: `permissions: {}` in a workflow means "none at all"
            present = [(p, v) for p, v in found if v is not None and v != []]
            if any(isinstance(v, Unknown) for _, v in present):
                return None, at
            if want_present:
                return (True, present[0][0]) if present else (False, at)
            base = starts[0][0] if starts and anchor is not None else at
            missing_at = base + tuple(s for s in segments if isinstance(s, (str, int)))
            return (False, at) if present else (True, missing_at)

        return existence

    op = operators.OPERATORS[op_name]

    def leaf(res: Resource, value: Any, at: tuple, params: dict) -> Result:
        expected = expected_value(params)
        found: list[tuple[tuple, Any]] = []
        for start in _starts(res, value, at, anchor):
            found.extend(walk(start[1], segments, start[0]))
        if not found:
            return False, at
        unknown = False
        hits: list[tuple] = []
        for path, actual in found:
            result = None if isinstance(actual, Unknown) else op(actual, expected)
            if result is None:
                unknown = True
            elif result:
                hits.append(path)
                if quantifier == "any":
                    return True, path
            elif quantifier == "all":
                return False, at
        if quantifier == "all":
            return (None, at) if unknown else (True, hits[0])
        return (None if unknown else False), at

    return leaf


def _compile_key_leaf(spec: dict) -> Evaluator:
    """``path: "@key"``: the key (or index) of the element ``each`` is visiting."""
    op_name = spec["op"]
    op = operators.OPERATORS.get(op_name)
    expected = spec.get("value")

    def key_leaf(res: Resource, value: Any, at: tuple, params: dict) -> Result:
        if not at or op is None:
            return None, at
        expect = params.get(expected["param"]) if isinstance(expected, dict) and set(expected) == {"param"} else expected
        result = op(at[-1], expect)
        return result, at

    return key_leaf


Hits = Callable[[Resource, dict], "tuple[list[tuple], bool]"]


def compile_all_hits(spec: dict) -> Hits:
    """Every finding location of a rule's match, and whether the verdict is
    unknown (no location, but some value could not be resolved).

    A top-level ``each`` reports each offending element (every privileged
    container, every open ingress block); any other condition reports at most
    one location per resource."""
    if "each" in spec:
        anchor, segments = parse_path(spec["each"])
        where = compile_condition(spec["where"])

        def all_hits(res: Resource, params: dict) -> tuple[list[tuple], bool]:
            hits, unknown = [], False
            for result, path in _each_results(res, res.attributes, (), anchor, segments, where, params):
                if result:
                    hits.append(path)
                elif result is None:
                    unknown = True
            return hits, unknown and not hits

        return all_hits
    single = compile_condition(spec)

    def one_hit(res: Resource, params: dict) -> tuple[list[tuple], bool]:
        result, path = single(res, res.attributes, (), params)
        return ([path] if result else []), result is None

    return one_hit
