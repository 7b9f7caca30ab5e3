"""Python checks for AWS resources (Terraform and CloudFormation shapes)."""
from __future__ import annotations

from collections.abc import Iterator

from scanner.engine.checks.common import CheckFn
from scanner.engine.checks.common import Context
from scanner.engine.checks.common import Hit
from scanner.engine.checks.common import as_list
from scanner.engine.checks.common import policy_document
from scanner.engine.checks.common import statements
from scanner.model import Resource
from scanner.model import Unknown

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
        for i, stmt in enumerate(as_list(resource.attributes.get("statement"))):
            if not isinstance(stmt, dict):
                continue
            if _is_admin_statement(stmt.get("effect", "Allow"), as_list(stmt.get("actions")), as_list(stmt.get("resources"))):
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
        for i, pol in enumerate(as_list(props.get("Policies"))):
            if isinstance(pol, dict):
                docs.append((("Policies", i, "PolicyDocument"), pol.get("PolicyDocument")))
    for path, raw in docs:
        if isinstance(raw, Unknown):
            continue
        doc = policy_document(raw)
        for i, stmt in statements(doc):
            if _is_admin_statement(stmt.get("Effect"), as_list(stmt.get("Action")), as_list(stmt.get("Resource"))):
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


CHECKS: dict[str, CheckFn] = {
    "iam_admin_policy": iam_admin_policy,
    "s3_bucket_without_public_access_block": s3_bucket_without_public_access_block,
}
