"""Python checks for AWS IAM and resource policies (Terraform and CloudFormation shapes)."""
from __future__ import annotations

from scanner.engine.checks.common import CheckFn

CHECKS: dict[str, CheckFn] = {}
