"""The explicit registry of checks that need code: name → function.

Most rules are declarative; a rule names one of these with ``python: NAME``
only when the condition language cannot express it: policy documents hidden in
JSON strings, or reasoning across resources.  A check receives the resource,
the evaluation context (every resource of the scan, by group) and the rule's
parameters, and yields ``(path, detail)`` for each problem; ``detail`` is
appended to the rule's message.  Each module keeps its own ``CHECKS`` dict;
this one merges them (a duplicate name is a programming error).
"""
from __future__ import annotations

from scanner.engine.checks import aws
from scanner.engine.checks import aws_iam
from scanner.engine.checks import kubernetes
from scanner.engine.checks import residency
from scanner.engine.checks.common import CheckFn
from scanner.engine.checks.common import Context

__all__ = ["CHECKS", "Context"]

_MODULES = (aws, aws_iam, kubernetes, residency)

CHECKS: dict[str, CheckFn] = {}
for _module in _MODULES:
    for _name, _fn in _module.CHECKS.items():
        assert _name not in CHECKS, f"duplicate Python check {_name}"
        CHECKS[_name] = _fn
