"""The explicit registry of checks that need code: name → function.

Most rules are declarative; a rule names one of these with ``python: NAME``
only when the condition language cannot express it: policy documents hidden in
JSON strings, or reasoning across resources.  A check receives the resource,
the evaluation context (every resource of the scan, by group) and the rule's
parameters, and yields ``(path, detail)`` for each problem; ``detail`` is
appended to the rule's message.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from scanner.model import Resource
from scanner.model import Unknown

Hit = tuple[tuple, "str | None"]


@dataclass
class Context:
    by_group: dict[str, list[Resource]]

    def siblings(self, resource: Resource, rtype: str) -> list[Resource]:
        return [r for r in self.by_group.get(resource.group, []) if r.type == rtype]


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _policy_document(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def _statements(doc: Any) -> Iterator[tuple[int, dict]]:
    if not isinstance(doc, dict):
        return
    for i, stmt in enumerate(_as_list(doc.get("Statement"))):
        if isinstance(stmt, dict):
            yield i, stmt


def _is_admin_statement(effect: Any, actions: list, resources: list) -> bool:
    if str(effect).lower() != "allow":
        return False
    return any(a in ("*", "*:*") for a in actions) and any(r == "*" for r in resources)


# Terraform resources whose ``policy`` attribute is a JSON policy document, and
# CloudFormation types whose PolicyDocument(s) live at these property paths.
TF_POLICY_ATTRS = {
    "aws_iam_policy": "policy",
    "aws_iam_role_policy": "policy",
    "aws_iam_user_policy": "policy",
    "aws_iam_group_policy": "policy",
}


def iam_admin_policy(resource: Resource, ctx: Context, params: dict) -> Iterator[Hit]:
    """Allow of every action on every resource, wherever the document hides."""
    if resource.schema == "terraform" and resource.type == "data.aws_iam_policy_document":
        for i, stmt in enumerate(_as_list(resource.attributes.get("statement"))):
            if not isinstance(stmt, dict):
                continue
            if _is_admin_statement(stmt.get("effect", "Allow"), _as_list(stmt.get("actions")), _as_list(stmt.get("resources"))):
                yield ("statement", i, "actions"), None
        return
    if resource.schema == "terraform":
        attr = TF_POLICY_ATTRS.get(resource.type)
        docs = [((attr,), resource.attributes.get(attr))] if attr else []
    else:  # cloudformation
        props = resource.attributes
        docs = []
        if "PolicyDocument" in props:
            docs.append((("PolicyDocument",), props["PolicyDocument"]))
        for i, pol in enumerate(_as_list(props.get("Policies"))):
            if isinstance(pol, dict):
                docs.append((("Policies", i, "PolicyDocument"), pol.get("PolicyDocument")))
    for path, raw in docs:
        if isinstance(raw, Unknown):
            continue
        doc = _policy_document(raw)
        for i, stmt in _statements(doc):
            if _is_admin_statement(stmt.get("Effect"), _as_list(stmt.get("Action")), _as_list(stmt.get("Resource"))):
                # a JSON string has no inner lines: point at the attribute itself
                yield (path + ("Statement", i, "Action") if isinstance(raw, dict) else path), None


def _references(expr: str, address: str) -> bool:
    """``aws_s3_bucket.b.id`` and ``aws_s3_bucket.b[0].id`` both reference ``aws_s3_bucket.b``."""
    return expr == address or expr.startswith((address + ".", address + "["))


def s3_bucket_without_public_access_block(resource: Resource, ctx: Context, params: dict) -> Iterator[Hit]:
    """An aws_s3_bucket with no aws_s3_bucket_public_access_block naming it.

    Passes when the module has an account-wide block; stays silent (unknown)
    when some block names its bucket in a way that cannot be resolved."""
    if ctx.siblings(resource, "aws_s3_account_public_access_block"):
        return
    bucket_name = resource.attributes.get("bucket")
    for pab in ctx.siblings(resource, "aws_s3_bucket_public_access_block"):
        target = pab.attributes.get("bucket")
        if isinstance(target, str) and target == bucket_name:
            return
        if isinstance(target, Unknown):
            if _references(target.expr, resource.name):
                return
            if "aws_s3_bucket." not in target.expr:
                return  # an unresolvable bucket name: it may be this one
    yield (), None


CHECKS: dict[str, Callable[[Resource, Context, dict], Iterator[Hit]]] = {
    "iam_admin_policy": iam_admin_policy,
    "s3_bucket_without_public_access_block": s3_bucket_without_public_access_block,
}
