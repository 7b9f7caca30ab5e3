"""The operators a rule's ``match`` may use: ``op(actual, expected) -> bool | None``.

``None`` means "unknown" (the actual value could not be resolved, or the
operator does not apply to its type): it never produces a finding.
"""
from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from scanner.model import Unknown

Op = Callable[[Any, Any], "bool | None"]

# CIDR spellings that mean "anyone": AWS/GCP CIDRs, Azure service tags and wildcards
_OPEN_WORDS = {"*", "internet", "any", "0.0.0.0", "::"}


def _num(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


class _Bool:
    """A boolean that never equals a number (Python's True == 1 must not leak into rules)."""

    __slots__ = ("value",)

    def __init__(self, value: bool) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Bool) and other.value == self.value

    def __hash__(self) -> int:
        return hash(("bool", self.value))


def _norm(value: Any) -> Any:
    """Compare "true"/True and "80"/80 alike: IaC formats disagree on quoting."""
    if isinstance(value, str):
        low = value.strip().lower()
        if low in ("true", "false"):
            return _Bool(low == "true")
        number = _num(value)
        if number is not None:
            return number
        return value
    if isinstance(value, bool):
        return _Bool(value)
    if isinstance(value, (int, float)):
        return float(value)
    return value


def equals(actual: Any, expected: Any) -> bool | None:
    return _norm(actual) == _norm(expected)


def not_equals(actual: Any, expected: Any) -> bool | None:
    return _norm(actual) != _norm(expected)


def is_in(actual: Any, expected: Any) -> bool | None:
    return _norm(actual) in [_norm(e) for e in expected]


def not_in(actual: Any, expected: Any) -> bool | None:
    return _norm(actual) not in [_norm(e) for e in expected]


@lru_cache(maxsize=512)
def _regex(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def regex(actual: Any, expected: Any) -> bool | None:
    if actual is None:
        return False  # no value never matches
    if isinstance(actual, bool) or not isinstance(actual, (str, int, float)):
        return None
    return _regex(expected).search(str(actual)) is not None


def not_regex(actual: Any, expected: Any) -> bool | None:
    result = regex(actual, expected)
    return None if result is None else not result


def _compare(fn: Callable[[float, float], bool]) -> Op:
    def op(actual: Any, expected: Any) -> bool | None:
        if actual is None:
            return False  # no value is not greater or smaller than anything
        a, e = _num(actual), _num(expected)
        if a is None or e is None:
            return None
        return fn(a, e)

    return op


def contains(actual: Any, expected: Any) -> bool | None:
    if isinstance(actual, str):
        return str(expected) in actual
    if isinstance(actual, list):
        if any(isinstance(a, Unknown) for a in actual):
            return True if any(_norm(a) == _norm(expected) for a in actual) else None
        return any(_norm(a) == _norm(expected) for a in actual)
    if isinstance(actual, dict):
        return expected in actual
    return None


def truthy(actual: Any, expected: Any = None) -> bool | None:
    norm = _norm(actual)
    if isinstance(norm, _Bool):
        return norm.value
    if norm is None:
        return False
    if isinstance(norm, float):
        return norm != 0
    return bool(norm)


def falsy(actual: Any, expected: Any = None) -> bool | None:
    result = truthy(actual)
    return None if result is None else not result


def cidr_open(actual: Any, expected: Any = None) -> bool | None:
    """True for a CIDR (or service tag) that admits the whole internet."""
    if not isinstance(actual, str):
        return None
    text = actual.strip().lower()
    if text in _OPEN_WORDS:
        return True
    try:
        net = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return net.prefixlen == 0


def port_in(actual: Any, expected: Any) -> bool | None:
    """``actual`` is a port or a range ("20-25", "*", -1 for all); ``expected`` a port."""
    port = _num(expected)
    if port is None:
        return None
    if isinstance(actual, str):
        text = actual.strip()
        if text in ("*", "-1", "all"):
            return True
        if "-" in text:
            low, _, high = text.partition("-")
            lo, hi = _num(low), _num(high)
            if lo is None or hi is None:
                return None
            return lo <= port <= hi
    value = _num(actual)
    if value is None:
        return None
    if value == -1:
        return True
    return value == port


def length_gt(actual: Any, expected: Any) -> bool | None:
    if isinstance(actual, (list, dict, str)):
        return len(actual) > int(expected)
    return None


OPERATORS: dict[str, Op] = {
    "equals": equals,
    "not_equals": not_equals,
    "in": is_in,
    "not_in": not_in,
    "regex": regex,
    "not_regex": not_regex,
    "gt": _compare(lambda a, e: a > e),
    "gte": _compare(lambda a, e: a >= e),
    "lt": _compare(lambda a, e: a < e),
    "lte": _compare(lambda a, e: a <= e),
    "contains": contains,
    "truthy": truthy,
    "falsy": falsy,
    "cidr_open": cidr_open,
    "port_in": port_in,
    "length_gt": length_gt,
}
# existence is decided by the evaluator (it needs the path, not a value)
EXISTENCE_OPS = ("exists", "absent")
# operators that take no ``value``
UNARY_OPS = {"truthy", "falsy", "cidr_open", "exists", "absent"}
