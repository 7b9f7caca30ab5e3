"""Python checks for Kubernetes: reasoning across objects of a namespace."""
from __future__ import annotations

from scanner.engine.checks.common import CheckFn

CHECKS: dict[str, CheckFn] = {}
