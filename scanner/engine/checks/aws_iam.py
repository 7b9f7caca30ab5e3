"""Python checks for AWS IAM and resource policies (Terraform and CloudFormation shapes).

Policy documents hide in several places: a JSON string (a heredoc, or the
result of ``jsonencode`` of literals) in a Terraform attribute, a mapping (or a
JSON string) in a CloudFormation property, and the ``statement`` blocks of a
``data "aws_iam_policy_document"``.  ``_statements`` turns all three into
statements of IAM's JSON shape (``Effect``, ``Principal``, ``Action``,
``Resource``, ``Condition``, ...), each with a function that says where a
finding about one of its elements should point.  A value that cannot be
resolved stays ``Unknown`` inside the statement, and every check treats it as
neither pass nor fail.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from scanner.engine.checks.common import CheckFn
from scanner.engine.checks.common import Context
from scanner.engine.checks.common import Hit
from scanner.engine.checks.common import as_list
from scanner.engine.checks.common import policy_document
from scanner.engine.checks.common import statements
from scanner.model import Resource
from scanner.model import Unknown


# ---- where policy documents live ---------------------------------------------
# Terraform resource type -> attribute holding a JSON policy document
TF_IDENTITY_POLICY_ATTRS = {
    "aws_iam_policy": "policy",
    "aws_iam_role_policy": "policy",
    "aws_iam_user_policy": "policy",
    "aws_iam_group_policy": "policy",
}
TF_KEY_POLICY_ATTRS = {
    "aws_kms_key": "policy",
    "aws_kms_key_policy": "policy",
    "aws_kms_external_key": "policy",
    "aws_kms_replica_key": "policy",
    "aws_kms_replica_external_key": "policy",
}
# CloudFormation types whose identity policies sit in PolicyDocument / Policies[*].PolicyDocument
CFN_IDENTITY_POLICY_TYPES = {
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::RolePolicy",
    "AWS::IAM::UserPolicy",
    "AWS::IAM::GroupPolicy",
    "AWS::IAM::Role",
    "AWS::IAM::User",
    "AWS::IAM::Group",
}

DATA_POLICY_DOCUMENT = "data.aws_iam_policy_document"


@dataclass
class _Statement:
    """One statement in IAM's JSON shape and how to locate its elements."""

    body: dict
    locate: Callable[..., tuple]  # locate("Principal", "AWS") -> finding path


def _json_statements(path: tuple, raw: Any) -> Iterator[_Statement]:
    """Statements of a document given as a mapping or as a JSON string at ``path``."""
    if raw is None or isinstance(raw, Unknown):
        return
    doc = policy_document(raw)
    if not isinstance(doc, dict):
        return
    if isinstance(raw, str):
        # a JSON string has no inner lines: every finding points at the attribute
        for _, stmt in statements(doc):
            yield _Statement(stmt, lambda *_parts: path)
        return
    single = isinstance(doc.get("Statement"), dict)
    for i, stmt in statements(doc):
        base = path + (("Statement",) if single else ("Statement", i))
        yield _Statement(stmt, lambda *parts, base=base, stmt=stmt: base + _present(stmt, parts))


def _present(body: Any, parts: tuple) -> tuple:
    """The longest prefix of ``parts`` that exists in ``body`` (for line lookup)."""
    out: tuple = ()
    for part in parts:
        if isinstance(body, dict) and part in body:
            body = body[part]
        elif isinstance(body, list) and isinstance(part, int) and 0 <= part < len(body):
            body = body[part]
        else:
            break
        out += (part,)
    return out


# data "aws_iam_policy_document": block/attribute names for IAM JSON elements
_TF_DOC_KEYS = {
    "Action": "actions",
    "NotAction": "not_actions",
    "Resource": "resources",
    "NotResource": "not_resources",
    "Principal": "principals",
    "NotPrincipal": "not_principals",
    "Condition": "condition",
}


def _tf_principals(blocks: Any) -> Any:
    """``principals { type, identifiers }`` blocks -> an IAM ``Principal`` value."""
    if isinstance(blocks, Unknown):
        return blocks
    out: dict = {}
    for block in as_list(blocks):
        if not isinstance(block, dict):
            continue
        ptype, ids = block.get("type"), block.get("identifiers")
        if isinstance(ptype, Unknown) or isinstance(ids, Unknown):
            return Unknown("principals")
        if ptype == "*":
            if "*" in as_list(ids):
                return "*"
            continue
        if isinstance(ptype, str):
            out.setdefault(ptype, []).extend(as_list(ids))
    return out or None


def _tf_conditions(blocks: Any) -> Any:
    """``condition { test, variable, values }`` blocks -> an IAM ``Condition`` value."""
    if isinstance(blocks, Unknown):
        return blocks
    out: dict = {}
    for block in as_list(blocks):
        if not isinstance(block, dict):
            continue
        test, variable = block.get("test"), block.get("variable")
        if not isinstance(test, str) or not isinstance(variable, str):
            return Unknown("condition")
        out.setdefault(test, {})[variable] = block.get("values")
    return out or None


def _data_statements(resource: Resource) -> Iterator[_Statement]:
    for i, stmt in enumerate(as_list(resource.attributes.get("statement"))):
        if not isinstance(stmt, dict):
            continue
        body: dict = {"Effect": stmt.get("effect", "Allow")}
        for element, block in _TF_DOC_KEYS.items():
            if block not in stmt:
                continue
            value = stmt[block]
            if block in ("principals", "not_principals"):
                value = _tf_principals(value)
            elif block == "condition":
                value = _tf_conditions(value)
            if value is not None:
                body[element] = value

        def locate(*parts: Any, i: int = i, stmt: dict = stmt) -> tuple:
            if not parts or parts[0] not in _TF_DOC_KEYS:
                return ("statement", i)
            block = _TF_DOC_KEYS[parts[0]]
            if block in ("principals", "not_principals") and len(parts) > 1:
                # point at the principals block of the principal type named
                for j, pb in enumerate(as_list(stmt.get(block))):
                    if isinstance(pb, dict) and pb.get("type") == parts[1]:
                        return ("statement", i, block, j)
            return ("statement", i, block)

        yield _Statement(body, locate)


def _identity_statements(resource: Resource) -> Iterator[_Statement]:
    """Every statement of an identity policy: Terraform policy attributes,
    aws_iam_role inline_policy blocks, policy document data sources, and
    CloudFormation PolicyDocument / Policies."""
    attrs = resource.attributes
    if resource.schema == "terraform":
        if resource.type == DATA_POLICY_DOCUMENT:
            yield from _data_statements(resource)
            return
        attr = TF_IDENTITY_POLICY_ATTRS.get(resource.type)
        if attr:
            yield from _json_statements((attr,), attrs.get(attr))
        if resource.type == "aws_iam_role":
            for k, block in enumerate(as_list(attrs.get("inline_policy"))):
                if isinstance(block, dict):
                    yield from _json_statements(("inline_policy", k, "policy"), block.get("policy"))
        return
    if resource.type not in CFN_IDENTITY_POLICY_TYPES:
        return
    if "PolicyDocument" in attrs:
        yield from _json_statements(("PolicyDocument",), attrs["PolicyDocument"])
    policies = attrs.get("Policies")
    if isinstance(policies, Unknown):
        return
    for k, pol in enumerate(as_list(policies)):
        if isinstance(pol, dict):
            yield from _json_statements(("Policies", k, "PolicyDocument"), pol.get("PolicyDocument"))


# ---- element tests -------------------------------------------------------------
def _is_allow(stmt: dict) -> bool:
    effect = stmt.get("Effect")
    return isinstance(effect, str) and effect.strip().lower() == "allow"


@lru_cache(maxsize=1024)
def _wildcard(pattern: str) -> re.Pattern:
    """IAM wildcards: ``*`` any run of characters, ``?`` one character; case-insensitive."""
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern), re.IGNORECASE | re.DOTALL)


def _matches(pattern: Any, text: str) -> bool:
    return isinstance(pattern, str) and _wildcard(pattern).fullmatch(text) is not None


def _any_principal(principal: Any) -> str | None:
    """Which form of a Principal admits everyone: "*" (the whole element) or
    "AWS" ({"AWS": "*"}, also inside a list); None when it names principals."""
    if principal == "*":
        return "*"
    if isinstance(principal, dict) and "*" in as_list(principal.get("AWS")):
        return "AWS"
    return None


# Condition keys that do not narrow down who the caller is: a statement whose
# every condition uses only these still admits any AWS principal anywhere.
NON_IDENTIFYING_CONDITION_KEYS = frozenset({
    "aws:securetransport",
    "aws:multifactorauthpresent",
    "aws:multifactorauthage",
    "aws:currenttime",
    "aws:epochtime",
    "aws:requestedregion",
    "aws:useragent",
    "aws:referer",
    "aws:tokenissuetime",
})


def _condition_keys_within(condition: Any, allowed: frozenset) -> bool | None:
    """True when the statement has no condition, or every key it tests is in
    ``allowed``; False when some other key restricts it; None when unknown."""
    if condition is None or condition == {}:
        return True
    if not isinstance(condition, dict):
        return None
    for block in condition.values():
        if not isinstance(block, dict):
            return None
        for key in block:
            if not isinstance(key, str):
                return None
            if key.lower() not in allowed:
                return False
    return True


def _known_strings(value: Any) -> list[str] | None:
    """The known string members of an element, or None when the whole element is unknown."""
    if isinstance(value, Unknown):
        return None
    return [v for v in as_list(value) if isinstance(v, str)]


# ---- ZD-AWS-035: role trust policy open to any principal ----------------------------
_ASSUME_ACTIONS = ("sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity")


def _grants_assume(actions: list[str]) -> bool:
    """An sts: action pattern that covers assuming a role.  Bare "*" does not
    count: in a policy document data source it marks a resource policy (a
    public bucket policy, say), not a trust policy."""
    return any(
        a.lower().startswith("sts:") and _matches(a, target) for a in actions for target in _ASSUME_ACTIONS
    )


def _open_trust(stmt: _Statement, need_assume_action: bool) -> tuple | None:
    body = stmt.body
    if not _is_allow(body) or "NotPrincipal" in body or "NotAction" in body:
        return None
    kind = _any_principal(body.get("Principal"))
    if kind is None:
        return None
    if need_assume_action:
        actions = _known_strings(body.get("Action"))
        if not actions or not _grants_assume(actions):
            return None
    if _condition_keys_within(body.get("Condition"), NON_IDENTIFYING_CONDITION_KEYS) is not True:
        return None
    return stmt.locate("Principal", kind)


def iam_role_trust_any_principal(resource: Resource, ctx: Context, params: dict) -> Iterator[Hit]:
    """A trust policy statement that lets any AWS principal assume the role."""
    attrs = resource.attributes
    if resource.schema == "terraform":
        if resource.type == DATA_POLICY_DOCUMENT:
            # judged where written; only statements granting sts:AssumeRole* are trust statements
            found = [_open_trust(s, need_assume_action=True) for s in _data_statements(resource)]
        else:
            found = [_open_trust(s, False) for s in _json_statements(("assume_role_policy",), attrs.get("assume_role_policy"))]
    else:
        found = [_open_trust(s, False) for s in _json_statements(("AssumeRolePolicyDocument",), attrs.get("AssumeRolePolicyDocument"))]
    for path in found:
        if path is not None:
            yield path, None


# ---- ZD-AWS-037: policies bound directly to IAM users ---------------------------
def iam_policy_bound_to_user(resource: Resource, ctx: Context, params: dict) -> Iterator[Hit]:
    """An inline policy or policy attachment whose resource type binds it to one
    user.  The type alone decides: the user it names is usually a reference that
    cannot be resolved, but whichever user it is, the policy is attached directly."""
    if resource.type in ("aws_iam_user_policy", "aws_iam_user_policy_attachment"):
        yield ("user",), None
    elif resource.type == "AWS::IAM::UserPolicy":
        yield ("UserName",), None


# ---- ZD-AWS-039: iam:PassRole on every role ---------------------------------------
# Condition keys that limit where a role may be passed, not which role: a
# statement restricted only by these still passes any role, an admin one included.
PASSROLE_NON_NARROWING_KEYS = NON_IDENTIFYING_CONDITION_KEYS | {"iam:passedtoservice", "iam:associatedresourcearn"}

_SAMPLE_ROLE_NAMES = ("zd-unlisted-role-7q", "service-role/zd-unlisted-role-7q")


def _has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


def _covers_every_role(resource_arn: str) -> bool:
    """``*``, ``arn:aws:iam::*:role/*``, ``arn:aws:iam::111122223333:role/*`` and the
    like: a pattern that matches any role name (with or without a path)."""
    if resource_arn == "*":
        return True
    parts = resource_arn.split(":")
    partition = parts[1] if len(parts) > 1 and parts[1] and not _has_wildcard(parts[1]) else "aws"
    account = parts[4] if len(parts) > 4 and parts[4] and not _has_wildcard(parts[4]) else "123456789012"
    return all(_matches(resource_arn, f"arn:{partition}:iam::{account}:role/{name}") for name in _SAMPLE_ROLE_NAMES)


def _is_admin_statement(actions: list[str], resources: list[str]) -> bool:
    """Action "*" on Resource "*": reported by ZD-AWS-007, not again here."""
    return any(a in ("*", "*:*") for a in actions) and "*" in resources


def iam_passrole_any_role(resource: Resource, ctx: Context, params: dict) -> Iterator[Hit]:
    """Allow of iam:PassRole (directly or through a wildcard) on every role."""
    for stmt in _identity_statements(resource):
        body = stmt.body
        if not _is_allow(body) or "NotAction" in body or "NotResource" in body:
            continue
        actions = _known_strings(body.get("Action"))
        resources = _known_strings(body.get("Resource"))
        if not actions or not resources:
            continue
        if not any(_matches(a, "iam:PassRole") for a in actions):
            continue
        if _is_admin_statement(actions, resources):
            continue
        if not any(_covers_every_role(r) for r in resources):
            continue
        if _condition_keys_within(body.get("Condition"), PASSROLE_NON_NARROWING_KEYS) is not True:
            continue
        yield stmt.locate("Resource"), None


# ---- ZD-AWS-040: KMS key policy open to any principal ------------------------------
def _key_policy_statements(resource: Resource) -> Iterator[tuple[_Statement, bool]]:
    """(statement, needs a kms: action to count as a key policy statement)."""
    attrs = resource.attributes
    if resource.schema == "terraform":
        if resource.type == DATA_POLICY_DOCUMENT:
            for stmt in _data_statements(resource):
                yield stmt, True
            return
        attr = TF_KEY_POLICY_ATTRS.get(resource.type)
        if attr:
            for stmt in _json_statements((attr,), attrs.get(attr)):
                yield stmt, False
        return
    for stmt in _json_statements(("KeyPolicy",), attrs.get("KeyPolicy")):
        yield stmt, False


def kms_key_policy_any_principal(resource: Resource, ctx: Context, params: dict) -> Iterator[Hit]:
    """A key policy statement that allows any principal, with no condition
    that narrows down who the caller is."""
    for stmt, need_kms_action in _key_policy_statements(resource):
        body = stmt.body
        if not _is_allow(body) or "NotPrincipal" in body:
            continue
        kind = _any_principal(body.get("Principal"))
        if kind is None:
            continue
        if need_kms_action:
            actions = _known_strings(body.get("Action"))
            if not actions or not any(a.lower().startswith("kms:") for a in actions):
                continue
        if _condition_keys_within(body.get("Condition"), NON_IDENTIFYING_CONDITION_KEYS) is not True:
            continue
        yield stmt.locate("Principal", kind), None


CHECKS: dict[str, CheckFn] = {
    "iam_role_trust_any_principal": iam_role_trust_any_principal,
    "iam_policy_bound_to_user": iam_policy_bound_to_user,
    "iam_passrole_any_role": iam_passrole_any_role,
    "kms_key_policy_any_principal": kms_key_policy_any_principal,
}
