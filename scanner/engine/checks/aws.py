"""Python checks for AWS resources (Terraform and CloudFormation shapes)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from scanner.engine.checks.common import CheckFn
from scanner.engine.checks.common import Context
from scanner.engine.checks.common import Hit
from scanner.engine.checks.common import as_list
from scanner.engine.checks.common import policy_document
from scanner.engine.checks.common import statements
from scanner.engine.operators import cidr_open
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


# ---- shared: does an argument name this resource? ---------------------------------
def _expr(value: Unknown) -> str:
    """The reference text of an unknown value (``${...}`` of Terraform JSON stripped)."""
    text = value.expr.strip()
    if text.startswith("${") and text.endswith("}") and text.count("${") == 1:
        text = text[2:-1].strip()
    return text


_NAME_UNKNOWN = Unknown("name")


def _names_resource(value: Any, resource: Resource, rtypes: tuple[str, ...], own_name: Any = _NAME_UNKNOWN) -> bool | None:
    """Whether an argument such as ``bucket = ...`` or ``vpc_id = ...`` names ``resource``.

    True: a reference to it, or its literal name; False: nothing, a reference to
    another resource of ``rtypes``, or a different literal name; None: cannot
    tell (a variable, a module output, a literal where the name is not known)."""
    if value is None:
        return False
    if isinstance(value, Unknown):
        expr = _expr(value)
        if _references(expr, resource.name):
            return True
        if expr.startswith(tuple(t + "." for t in rtypes)):
            return False
        return None
    if isinstance(value, str):
        if isinstance(own_name, str):
            return value == own_name
        if own_name is None:  # the resource gets a generated name no literal can match
            return False
        return None
    return None


def _is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _bucket_name(resource: Resource) -> Any:
    """The literal bucket name; None when generated (no ``bucket``); Unknown when unresolved."""
    name = resource.attributes.get("bucket")
    if name is None and resource.attributes.get("bucket_prefix") is None:
        return None
    return name if isinstance(name, str) else Unknown("bucket")


def _bucket_companions(resource: Resource, ctx: Context, rtype: str, attr: str = "bucket") -> list[bool | None]:
    """For each ``rtype`` resource of the module: does its ``attr`` name this bucket?"""
    own = _bucket_name(resource)
    return [_names_resource(c.attributes.get(attr), resource, ("aws_s3_bucket",), own) for c in ctx.siblings(resource, rtype)]


# ---- ZD-AWS-016: S3 bucket versioning -----------------------------------------------
def s3_bucket_versioning_not_enabled(resource: Resource, ctx: Context, params: dict) -> Iterator[Hit]:
    """An aws_s3_bucket whose versioning is neither enabled inline nor managed by an
    aws_s3_bucket_versioning of the module (that resource is judged on its own).

    Object Lock turns versioning on, so such buckets pass; unknown values stay silent."""
    attrs = resource.attributes
    lock = attrs.get("object_lock_enabled")
    if isinstance(lock, Unknown) or _is_true(lock):
        return
    locks = attrs.get("object_lock_configuration")
    if isinstance(locks, Unknown):
        return
    for block in as_list(locks):
        if not isinstance(block, dict) or isinstance(block.get("object_lock_enabled"), (Unknown, str)):
            return  # the deprecated inline block: "Enabled" is its only value
    versioning = attrs.get("versioning")
    if isinstance(versioning, Unknown):
        return
    where: tuple = ()
    for i, block in enumerate(as_list(versioning)):
        if not isinstance(block, dict):
            return
        enabled = block.get("enabled")
        if isinstance(enabled, Unknown) or _is_true(enabled):
            return
        where = ("versioning", i) + (("enabled",) if "enabled" in block else ())
    if any(m is not False for m in _bucket_companions(resource, ctx, "aws_s3_bucket_versioning")):
        return
    yield where, None


# ---- ZD-AWS-017: S3 server access logging ---------------------------------------------
def _is_access_log_target(resource: Resource, ctx: Context) -> bool:
    """Provably the target of another bucket's server access logs in the module."""
    if resource.schema == "terraform":
        if any(m is True for m in _bucket_companions(resource, ctx, "aws_s3_bucket_logging", "target_bucket")):
            return True
        own = _bucket_name(resource)
        for other in ctx.siblings(resource, "aws_s3_bucket"):
            if other is resource or isinstance(other.attributes.get("logging"), Unknown):
                continue
            for block in as_list(other.attributes.get("logging")):
                if isinstance(block, dict) and _names_resource(block.get("target_bucket"), resource, ("aws_s3_bucket",), own) is True:
                    return True
        return False
    own = resource.attributes.get("BucketName")
    for other in ctx.siblings(resource, "AWS::S3::Bucket"):
        config = other.attributes.get("LoggingConfiguration")
        if other is resource or not isinstance(config, dict):
            continue
        dest = config.get("DestinationBucketName")
        if isinstance(dest, Unknown) and dest.expr == f"Ref {resource.name}":
            return True
        if isinstance(dest, str) and isinstance(own, str) and dest == own:
            return True
    return False


def s3_bucket_without_access_logging(resource: Resource, ctx: Context, params: dict) -> Iterator[Hit]:
    """A bucket with no server access logging: no inline ``logging`` block and no
    aws_s3_bucket_logging of the module naming it (CloudFormation: no
    LoggingConfiguration). A bucket that receives other buckets' access logs is
    not reported; a companion whose bucket cannot be resolved keeps it silent."""
    attrs = resource.attributes
    if resource.schema == "terraform":
        logging = attrs.get("logging")
        if isinstance(logging, Unknown) or as_list(logging):
            return
        if any(m is not False for m in _bucket_companions(resource, ctx, "aws_s3_bucket_logging")):
            return
    elif attrs.get("LoggingConfiguration") is not None:
        return
    if _is_access_log_target(resource, ctx):
        return
    yield (), None


# ---- bucket policy documents (ZD-AWS-018, ZD-AWS-019) ----------------------------------
@dataclass
class _PolicyStatement:
    """One statement, whatever its source shape; unknown parts stay ``Unknown``."""

    effect: Any  # "Allow" / "Deny" / Unknown
    principal: Any  # IAM JSON shape: "*", {"AWS": [...]}, Unknown, None
    actions: Any  # list (members may be Unknown) or Unknown
    conditions: Any  # [(operator, key, values)] or Unknown
    where: tuple  # finding path: the statement's principal where it has lines
    label: str  # the Sid, or the statement's position


def _unknown_statement(where: tuple, i: int) -> _PolicyStatement:
    """A statement that cannot be read (Fn::If, a dynamic value): anything is possible."""
    unknown = Unknown("statement")
    return _PolicyStatement(unknown, unknown, unknown, unknown, where, f"statement {i + 1}")


DATA_POLICY_DOCUMENT = "data.aws_iam_policy_document"
_BUCKET_POLICY_HOLDERS = ("aws_s3_bucket_policy", "aws_s3_bucket")
# a data source's document may be merged with others: those statements are not visible here
_MERGED_DOCUMENT_ARGS = ("source_policy_documents", "override_policy_documents", "source_json", "override_json")


def _json_conditions(condition: Any) -> Any:
    if condition is None:
        return []
    if not isinstance(condition, dict):
        return Unknown("Condition")
    out = []
    for operator, block in condition.items():
        if not isinstance(block, dict):
            return Unknown("Condition")
        out.extend((operator, key, values) for key, values in block.items())
    return out


def _json_policy_statements(path: tuple, raw: Any) -> Iterator[_PolicyStatement]:
    doc = policy_document(raw)
    if doc is None:
        return
    body = doc.get("Statement")
    single = isinstance(body, dict)
    for i, stmt in enumerate(as_list(body)):
        # a JSON string from jsonencode keeps the lines of its HCL object; a
        # heredoc has none, and the finding falls back to the attribute's line
        where = path + (("Statement",) if single else ("Statement", i))
        if not isinstance(stmt, dict):
            yield _unknown_statement(where, i)
            continue
        where += ("Principal",) if "Principal" in stmt else ()
        actions = stmt.get("Action")
        yield _PolicyStatement(
            effect=stmt.get("Effect"),
            principal=stmt.get("Principal"),
            actions=actions if isinstance(actions, Unknown) else as_list(actions),
            conditions=_json_conditions(stmt.get("Condition")),
            where=where,
            label=str(stmt.get("Sid")) if isinstance(stmt.get("Sid"), str) else f"statement {i + 1}",
        )


def _data_principal(blocks: Any) -> tuple[Any, int | None]:
    """``principals`` blocks as an IAM Principal value, and the index of the block
    that admits everyone."""
    if isinstance(blocks, Unknown):
        return blocks, None
    out: dict = {}
    for j, block in enumerate(as_list(blocks)):
        if not isinstance(block, dict):
            return Unknown("principals"), None
        ptype, ids = block.get("type"), block.get("identifiers")
        if isinstance(ptype, Unknown) or isinstance(ids, Unknown):
            return Unknown("principals"), None
        if "*" in as_list(ids) and ptype in ("*", "AWS"):
            return ("*" if ptype == "*" else {"AWS": "*"}), j
        out.setdefault(str(ptype), []).extend(as_list(ids))
    return (out or None), None


def _data_policy_statements(resource: Resource) -> Iterator[_PolicyStatement]:
    for i, stmt in enumerate(as_list(resource.attributes.get("statement"))):
        if not isinstance(stmt, dict):
            yield _unknown_statement(("statement", i), i)
            continue
        principal, j = _data_principal(stmt.get("principals"))
        conditions: Any = []
        blocks = stmt.get("condition")
        if isinstance(blocks, Unknown):
            conditions = blocks
        else:
            for block in as_list(blocks):
                if not isinstance(block, dict):
                    conditions = Unknown("condition")
                    break
                conditions.append((block.get("test"), block.get("variable"), block.get("values")))
        actions = stmt.get("actions")
        where = ("statement", i) + (("principals", j) if j is not None else ("principals",) if "principals" in stmt else ())
        yield _PolicyStatement(
            effect=stmt.get("effect", "Allow"),
            principal=principal,
            actions=actions if isinstance(actions, Unknown) else as_list(actions),
            conditions=conditions,
            where=where,
            label=str(stmt["sid"]) if isinstance(stmt.get("sid"), str) else f"statement {i + 1}",
        )


def _is_bucket_policy_document(resource: Resource, ctx: Context) -> bool:
    """A policy document data source that some bucket policy of the module uses."""
    for rtype in _BUCKET_POLICY_HOLDERS:
        for holder in ctx.siblings(resource, rtype):
            policy = holder.attributes.get("policy")
            if isinstance(policy, Unknown) and _references(_expr(policy), resource.name):
                return True
    return False


def _bucket_policy_statements(resource: Resource, ctx: Context) -> list[_PolicyStatement] | None:
    """The statements of the bucket policy a resource holds; None when there is
    none to judge (no policy, an unknown one, or a data source no bucket uses)."""
    attrs = resource.attributes
    if resource.schema == "cloudformation":
        raw = attrs.get("PolicyDocument")
        return None if raw is None or isinstance(raw, Unknown) else list(_json_policy_statements(("PolicyDocument",), raw))
    if resource.type == DATA_POLICY_DOCUMENT:
        if not _is_bucket_policy_document(resource, ctx):
            return None
        return list(_data_policy_statements(resource))
    raw = attrs.get("policy")
    if raw is None or isinstance(raw, Unknown) or policy_document(raw) is None:
        return None  # a reference to a data source is judged there
    return list(_json_policy_statements(("policy",), raw))


def _admits_everyone(principal: Any) -> bool | None:
    if isinstance(principal, Unknown):
        return None
    if principal == "*":
        return True
    if isinstance(principal, dict):
        aws = principal.get("AWS")
        if "*" in as_list(aws):
            return True
        if isinstance(aws, Unknown) or any(isinstance(a, Unknown) for a in as_list(aws)):
            return None
    return False


def _strings(value: Any) -> list | None:
    """The members of a value as a list; None when any member is unknown."""
    if isinstance(value, Unknown):
        return None
    items = as_list(value)
    return None if any(isinstance(v, Unknown) for v in items) else items


# Condition keys that pin a request to fixed callers or networks: S3's own
# definition of a non-public policy (aws:SourceIp, aws:SourceArn, aws:SourceVpc,
# aws:SourceVpce, aws:SourceOwner, aws:SourceAccount, the KMS key id, aws:userid),
# keys that pin the principal's account or organization, and access point delegation.
_RESTRICTING_KEYS = frozenset({
    "aws:sourceip", "aws:sourcearn", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceowner",
    "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths", "aws:userid",
    "aws:principalarn", "aws:principalaccount", "aws:principalorgid", "aws:principalorgpaths",
    "aws:vpceaccount", "aws:vpceorgid", "aws:vpceorgpaths",
    "s3:x-amz-server-side-encryption-aws-kms-key-id", "s3:dataaccesspointaccount", "s3:dataaccesspointarn",
})
_MATCHING_OPERATORS = frozenset({
    "stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike", "ipaddress",
})


def _restricts(operator: Any, key: Any, values: Any) -> bool | None:
    """Whether one condition limits a statement to fixed callers (True), does
    not (False), or cannot be known (None)."""
    if isinstance(operator, Unknown) or isinstance(key, Unknown):
        return None
    if not isinstance(operator, str) or not isinstance(key, str):
        return False
    op = operator.strip().lower()
    if op.startswith("foranyvalue:"):
        op = op[len("foranyvalue:"):]
    if op not in _MATCHING_OPERATORS or key.strip().lower() not in _RESTRICTING_KEYS:
        return False  # IfExists / ForAllValues pass requests without the key; negations admit the rest
    items = _strings(values)
    if items is None:
        return None
    return bool(items) and all(_fixed_value(key.strip().lower(), item) for item in items)


_WILDCARDS = ("*", "?", "${")
_ARN_KEYS = frozenset({"aws:sourcearn", "aws:principalarn", "s3:dataaccesspointarn"})
_ORG_PATH_KEYS = frozenset({"aws:principalorgpaths", "aws:sourceorgpaths", "aws:vpceorgpaths"})


def _fixed_value(key: str, value: Any) -> bool:
    """Whether a condition value pins one caller, account, organization or network.

    Identifiers must be free of wildcards and policy variables; an ARN may end
    in wildcards once its account is fixed, an organization path once its
    organization is; a source address range must not be the whole internet."""
    if not isinstance(value, str) or not value.strip():
        return False
    text = value.strip()
    if key in _ARN_KEYS:
        parts = text.split(":", 5)
        if len(parts) == 6 and parts[4]:
            return not any(w in parts[4] for w in _WILDCARDS) and not any(w in ":".join(parts[:4]) for w in _WILDCARDS)
        return not any(w in text for w in _WILDCARDS)  # no account field (S3 ARNs): fully fixed
    if key in _ORG_PATH_KEYS:
        org = text.split("/", 1)[0]
        return bool(org) and not any(w in org for w in _WILDCARDS)
    if any(w in text for w in _WILDCARDS):
        return False
    return not (key == "aws:sourceip" and cidr_open(text))


def _public_allow(stmt: _PolicyStatement) -> bool | None:
    """An Allow to everyone that no condition narrows to fixed callers."""
    if isinstance(stmt.effect, Unknown):
        return None
    if not isinstance(stmt.effect, str) or stmt.effect.strip().lower() != "allow":
        return False
    everyone = _admits_everyone(stmt.principal)
    if not everyone:
        return everyone
    if isinstance(stmt.conditions, Unknown):
        return None
    verdicts = [_restricts(*c) for c in stmt.conditions]
    if any(v is True for v in verdicts):
        return False
    return None if any(v is None for v in verdicts) else True


def s3_bucket_policy_public_principal(resource: Resource, ctx: Context, params: dict) -> Iterator[Hit]:
    """A bucket policy statement that allows Principal "*" / {"AWS": "*"} with no
    condition restricting the caller (S3's definition of a public policy)."""
    for stmt in _bucket_policy_statements(resource, ctx) or []:
        if _public_allow(stmt):
            yield stmt.where, stmt.label


def _denies_every_s3_action(actions: Any) -> bool | None:
    if isinstance(actions, Unknown):
        return None
    if any(isinstance(a, str) and a.strip().lower() in ("*", "s3:*") for a in actions):
        return True
    return None if any(isinstance(a, Unknown) for a in actions) else False


def _when_transport_insecure(conditions: Any) -> bool | None:
    """A ``Bool`` condition that matches when aws:SecureTransport is false."""
    if isinstance(conditions, Unknown):
        return None
    unknown = False
    for operator, key, values in conditions:
        if isinstance(operator, Unknown) or isinstance(key, Unknown):
            unknown = True
            continue
        if not (isinstance(operator, str) and operator.strip().lower() in ("bool", "boolifexists")):
            continue
        if not (isinstance(key, str) and key.strip().lower() == "aws:securetransport"):
            continue
        items = _strings(values)
        if items is None:
            unknown = True
        elif items and all(str(v).strip().lower() == "false" for v in items):
            return True
    return None if unknown else False


def _denies_insecure_transport(stmt: _PolicyStatement) -> bool | None:
    """A Deny of every S3 action, to everyone, when aws:SecureTransport is false."""
    if isinstance(stmt.effect, Unknown):
        return None
    if not isinstance(stmt.effect, str) or stmt.effect.strip().lower() != "deny":
        return False
    verdicts = [
        _admits_everyone(stmt.principal),
        _denies_every_s3_action(stmt.actions),
        _when_transport_insecure(stmt.conditions),
    ]
    if any(v is False for v in verdicts):
        return False
    return None if any(v is None for v in verdicts) else True


def s3_bucket_policy_without_tls_deny(resource: Resource, ctx: Context, params: dict) -> Iterator[Hit]:
    """A known bucket policy with no statement denying requests over plain HTTP."""
    stmts = _bucket_policy_statements(resource, ctx)
    if stmts is None:
        return
    if resource.type == DATA_POLICY_DOCUMENT and any(resource.attributes.get(a) is not None for a in _MERGED_DOCUMENT_ARGS):
        return
    verdicts = [_denies_insecure_transport(s) for s in stmts]
    if any(v is not False for v in verdicts):
        return  # enforced, or a statement that may enforce it
    yield ((() if resource.type == DATA_POLICY_DOCUMENT else ("PolicyDocument",) if resource.schema == "cloudformation" else ("policy",)), None)


# ---- ZD-AWS-020: rules added to a VPC's default security group ---------------------
_DEFAULT_SG_REF = re.compile(r"^(aws_default_security_group\.|aws_(default_)?vpc\.[^.\[]+(\[[^\]]*\])?\.default_security_group_id$)")


def security_group_rule_on_default_security_group(resource: Resource, ctx: Context, params: dict) -> Iterator[Hit]:
    """A standalone security group rule attached to a VPC's default security group."""
    target = resource.attributes.get("security_group_id")
    if isinstance(target, Unknown) and _DEFAULT_SG_REF.match(_expr(target)):
        yield ("security_group_id",), None


# ---- ZD-AWS-023: VPC without flow logs ----------------------------------------------------
def _cfn_target(value: object) -> str | None:
    """The logical id a ``Ref X`` or ``Fn::GetAtt X.Attr`` value points at."""
    if isinstance(value, Unknown):
        if value.expr.startswith("Ref "):
            return value.expr[len("Ref "):]
        if value.expr.startswith("Fn::GetAtt "):
            return value.expr[len("Fn::GetAtt "):].split(".", 1)[0]
    return None


def vpc_without_flow_log(resource: Resource, ctx: Context, params: dict) -> Iterator[Hit]:
    """A VPC that no flow log of the module (CloudFormation: of the template) is
    attached to. A flow log whose target cannot be resolved may be this VPC's and
    keeps it silent; subnet- and interface-level flow logs do not count."""
    if resource.schema == "terraform":
        for flow_log in ctx.siblings(resource, "aws_flow_log"):
            vpc_id = flow_log.attributes.get("vpc_id")
            if _names_resource(vpc_id, resource, ("aws_vpc", "aws_default_vpc")) is not False:
                return
        yield (), None
        return
    logical_ids = {r.name for r in ctx.by_group.get(resource.group, [])}
    for flow_log in ctx.siblings(resource, "AWS::EC2::FlowLog"):
        rtype = flow_log.attributes.get("ResourceType")
        if isinstance(rtype, str) and rtype.strip().upper() != "VPC":
            continue
        target = flow_log.attributes.get("ResourceId")
        if target is None:
            continue
        name = _cfn_target(target)
        if name is not None and name != resource.name and name in logical_ids:
            continue  # another resource of the template
        return  # this VPC, or one that cannot be told apart from it (a parameter, a literal id)
    yield (), None


CHECKS: dict[str, CheckFn] = {
    "iam_admin_policy": iam_admin_policy,
    "s3_bucket_without_public_access_block": s3_bucket_without_public_access_block,
    "s3_bucket_versioning_not_enabled": s3_bucket_versioning_not_enabled,
    "s3_bucket_without_access_logging": s3_bucket_without_access_logging,
    "s3_bucket_policy_public_principal": s3_bucket_policy_public_principal,
    "s3_bucket_policy_without_tls_deny": s3_bucket_policy_without_tls_deny,
    "security_group_rule_on_default_security_group": security_group_rule_on_default_security_group,
    "vpc_without_flow_log": vpc_without_flow_log,
}
