"""Live AWS drift source (``--live aws://REGION[?profile=NAME]``), read-only.

Reads a curated security set of one account and region through boto3 (the
optional extra ``zerodrift[aws]``, imported lazily) and maps every object into
the **Terraform resource shape** the policy rules read, so one rule judges the
template and the live object alike (shared/docs/drift.md sections 7 and 11.2):

* ``aws_security_group`` (inline ``ingress``/``egress`` rules, split and
  merged the way the provider does: one rule per protocol, ports and
  description);
* security group rules, for the groups whose templates manage their rules
  through standalone resources (``aws_vpc_security_group_{ingress,egress}_rule``,
  ``aws_security_group_rule``): ``DescribeSecurityGroupRules``, one v5-shaped
  ``aws_vpc_security_group_*_rule`` object per rule id (one source each), and
  those groups without ``ingress``/``egress`` (each rule is reported once).
  A legacy ``aws_security_group_rule`` template claims the live rules of its
  direction, protocol and ports whose source it lists (one template, several
  AWS rules) and becomes one ``aws_security_group_rule`` object holding only
  the claimed sources, so a revoked CIDR is a removed ``cidr_blocks`` element.
  A rule template whose group, ports or source is known only at apply time
  (``for_each``) cannot be matched: its group keeps its rules inline and the
  group's unmatched rules are default objects (a warning says so);
* S3, split like AWS provider v4+: ``aws_s3_bucket``, ``_public_access_block``,
  ``_server_side_encryption_configuration``, ``_versioning``, ``_policy``,
  ``_acl``, ``_ownership_controls``, ``_logging`` -- one object per
  sub-resource that exists live, each with ``bucket`` = the bucket name;
* IAM: ``aws_iam_user``, ``aws_iam_access_key`` (never the secret: the API
  does not return it), ``aws_iam_policy`` (customer managed),
  ``aws_iam_user_policy_attachment``, ``aws_iam_role``,
  ``aws_iam_role_policy_attachment``;
* ``aws_db_instance``, ``aws_kms_key`` (customer managed, not pending
  deletion), ``aws_cloudtrail`` (trails homed in the region).

Only Describe/Get/List calls are made.  botocore runs with adaptive retries,
connect/read timeouts and a call budget; a service that is denied, throttled
or fails yields a warning diagnostic and partial results (its templates are
left out of ``Snapshot.inspected``, so they are never "missing"); no
credentials or an unreachable endpoint is a one-line ``UsageError``.
Diagnostics name services, operations and error codes, never live values; a
live attribute whose own read failed is ``NOT_READ`` (an ``Unknown``: neither
drift nor a rule verdict).

Match keys (``template_key`` and ``LiveObject.key`` agree): ``<type>:<natural
id>`` -- bucket name for every S3 type, ``name`` for security groups
(``name@vpc_id`` when several VPCs hold a group of that name), IAM users,
roles, policies and trails, ``<group>:<protocol>:<ports>:<source>`` for v5
rules (``web:tcp:443:10.0.0.0/8``, ``web:-1:all:0.0.0.0/0``, a referenced
group as ``sg:<its natural id>``) and ``<group>:<direction>:<protocol>:<ports>:
<sources,...>`` for legacy rules, ``identifier`` for RDS, ``user`` for access keys
(``user#2``, ``#3`` for a user's second and third key: live keys in creation
order, templates in file/line order), ``user/policy_arn`` and
``role/policy_arn`` for attachments, and for KMS keys the first alias
(``aws_kms_alias`` templates targeting the key) else the description.  A
template reference such as ``aws_s3_bucket.logs.id`` or ``aws_iam_user.u.name``
is resolved through the templates handed to ``load``; any other unresolved
(``Unknown``) value gives no key.  ``native_id`` is the Terraform import ID; ``address`` is the matching
template's address, else ``<type>.<natural id>``.

Defaults (``default=True``, never unmanaged): the ``default`` security group
of every VPC, service-linked and IAM Identity Center roles (paths ``/aws-service-role/``, ``/aws-reserved/``), AWS managed
policies, and the settings S3 gives every new bucket (SSE-S3 ``AES256``
encryption, an all-on public access block, ``BucketOwnerEnforced`` ownership,
an owner-only ACL): when the template declares none of them, they are not
drift; when it declares one, it is compared.  Not a default: the allow-all
egress AWS gives a new group (Terraform removes it), so with standalone rules
and no egress rule resource it is an unmanaged egress rule, as it is an
``egress`` drift for a group with inline rules.
"""
from __future__ import annotations

import ipaddress
import json
import re
import urllib.parse
from collections import Counter
from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

from scanner.drift.compare import DiffSpec
from scanner.drift.compare import diff
from scanner.drift.model import Change
from scanner.drift.model import LiveObject
from scanner.drift.model import Snapshot
from scanner.drift.normalize.terraform import TEMPLATE_SPEC
from scanner.drift.normalize.terraform import ignored_attributes
from scanner.drift.normalize.terraform import with_security_defaults
from scanner.drift.normalize.terraform import strip_noise
from scanner.errors import UsageError
from scanner.model import Diagnostic
from scanner.model import Resource
from scanner.model import Unknown
from scanner.parsers.hcl import contains_unknown

MISSING_EXTRA = "live AWS needs the optional extra: pip install 'zerodrift[aws]'"
_SPEC = re.compile(r"^aws://(?P<region>[a-z]{2}(?:-[a-z]+)+-\d{1,2})/?(?:\?(?P<query>[^#]*))?$")
_PROFILE = re.compile(r"^[A-Za-z0-9_.+@:/-]{1,128}$")

_SG_LIST_FIELDS = ("cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids", "security_groups")
_PROTOCOLS = {"all": "-1", "-1": "-1", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}

S3_TYPES = (
    "aws_s3_bucket", "aws_s3_bucket_public_access_block", "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_versioning", "aws_s3_bucket_policy", "aws_s3_bucket_acl", "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_logging",
)
IAM_TYPES = ("aws_iam_user", "aws_iam_access_key", "aws_iam_policy", "aws_iam_user_policy_attachment",
             "aws_iam_role", "aws_iam_role_policy_attachment")
SG_RULE_TYPES = ("aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_security_group_rule")
SERVICE_TYPES: dict[str, tuple[str, ...]] = {
    "ec2": ("aws_security_group",) + SG_RULE_TYPES,
    "s3": S3_TYPES,
    "iam": IAM_TYPES,
    "rds": ("aws_db_instance",),
    "kms": ("aws_kms_key",),
    "cloudtrail": ("aws_cloudtrail",),
}
TYPES = tuple(t for types in SERVICE_TYPES.values() for t in types)

# the attributes this source reads per type: only these are compared (a
# template's password, inline v3 bucket blocks or lifecycle settings are not
# visible live and must not show up as "removed in live")
READ_ATTRIBUTES: dict[str, frozenset[str]] = {
    "aws_security_group": frozenset({"name", "description", "vpc_id", "ingress", "egress", "tags"}),
    # group, direction, protocol, ports and source are the match key: only the rest is compared
    "aws_vpc_security_group_ingress_rule": frozenset({"description", "tags"}),
    "aws_vpc_security_group_egress_rule": frozenset({"description", "tags"}),
    "aws_security_group_rule": frozenset({"cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids", "description"}),
    "aws_s3_bucket": frozenset({"bucket", "tags"}),
    "aws_s3_bucket_public_access_block": frozenset({"bucket", "block_public_acls", "block_public_policy",
                                                    "ignore_public_acls", "restrict_public_buckets"}),
    "aws_s3_bucket_server_side_encryption_configuration": frozenset({"bucket", "rule"}),
    "aws_s3_bucket_versioning": frozenset({"bucket", "versioning_configuration"}),
    "aws_s3_bucket_policy": frozenset({"bucket", "policy"}),
    "aws_s3_bucket_acl": frozenset({"bucket", "acl", "access_control_policy"}),
    "aws_s3_bucket_ownership_controls": frozenset({"bucket", "rule"}),
    "aws_s3_bucket_logging": frozenset({"bucket", "target_bucket", "target_prefix"}),
    # ListUsers/ListRoles/ListPolicies leave out permissions boundaries and policy
    # descriptions (only the Get* calls return them): not compared, never "removed"
    "aws_iam_user": frozenset({"name", "path", "tags"}),
    "aws_iam_access_key": frozenset({"user", "status"}),
    "aws_iam_policy": frozenset({"name", "path", "policy"}),
    "aws_iam_user_policy_attachment": frozenset({"user", "policy_arn"}),
    "aws_iam_role": frozenset({"name", "path", "description", "assume_role_policy", "max_session_duration"}),
    "aws_iam_role_policy_attachment": frozenset({"role", "policy_arn"}),
    "aws_db_instance": frozenset({
        "identifier", "engine", "engine_version", "instance_class", "allocated_storage", "storage_type",
        "storage_encrypted", "kms_key_id", "publicly_accessible", "backup_retention_period",
        "deletion_protection", "iam_database_authentication_enabled", "multi_az",
        "enabled_cloudwatch_logs_exports", "vpc_security_group_ids", "db_subnet_group_name", "username",
        "port", "auto_minor_version_upgrade", "copy_tags_to_snapshot", "replicate_source_db", "tags",
    }),
    "aws_kms_key": frozenset({"description", "key_usage", "customer_master_key_spec", "is_enabled",
                              "enable_key_rotation", "multi_region", "policy", "tags"}),
    "aws_cloudtrail": frozenset({
        "name", "s3_bucket_name", "s3_key_prefix", "include_global_service_events", "is_multi_region_trail",
        "is_organization_trail", "enable_log_file_validation", "kms_key_id", "cloud_watch_logs_group_arn",
        "cloud_watch_logs_role_arn", "sns_topic_name", "enable_logging",
    }),
}

# S3 answers these when a sub-resource is not configured: the object does not exist
_S3_ABSENT = frozenset({
    "ServerSideEncryptionConfigurationNotFoundError", "NoSuchPublicAccessBlockConfiguration",
    "OwnershipControlsNotFoundError", "NoSuchBucketPolicy", "NoSuchTagSet", "NoSuchBucket",
})
_THROTTLED = frozenset({"Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException",
                        "SlowDown", "RequestThrottled", "RequestThrottledException"})
_CREDENTIAL_CODES = frozenset({"InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException",
                               "SignatureDoesNotMatch", "UnrecognizedClientException", "InvalidAccessKeyId",
                               "AuthFailure"})
_ACL_GROUP = "http://acs.amazonaws.com/groups/"
_ALL_USERS = _ACL_GROUP + "global/AllUsers"
_AUTH_USERS = _ACL_GROUP + "global/AuthenticatedUsers"
_LOG_DELIVERY = _ACL_GROUP + "s3/LogDelivery"


# a live attribute whose read failed (denied, throttled): neither drift nor a rule verdict
NOT_READ = Unknown("not read from AWS")


class _BudgetExhausted(Exception):
    pass


# ---------------------------------------------------------------- pure mappers
def _tags(tag_list: Any) -> dict[str, str]:
    """API ``[{Key, Value}]`` (or KMS ``TagKey``/``TagValue``) as the Terraform map,
    without the ``aws:`` tags AWS adds itself."""
    out: dict[str, str] = {}
    for tag in tag_list or []:
        if not isinstance(tag, dict):
            continue
        key = tag.get("Key", tag.get("TagKey"))
        value = tag.get("Value", tag.get("TagValue", ""))
        if isinstance(key, str) and not key.startswith("aws:"):
            out[key] = "" if value is None else str(value)
    return dict(sorted(out.items()))


def _policy_text(document: Any) -> str | None:
    """A policy document as the JSON string Terraform stores: botocore hands IAM
    documents over parsed; S3 and KMS return text; raw IAM text is URL-encoded."""
    if document is None:
        return None
    if isinstance(document, (dict, list)):
        return json.dumps(document, separators=(",", ":"))
    text = str(document)
    if text.lstrip().startswith("%7B") or text.lstrip().startswith("%7b"):
        text = urllib.parse.unquote(text)
    try:
        return json.dumps(json.loads(text), separators=(",", ":"))
    except ValueError:
        return text


def _protocol(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(int(value))
    if isinstance(value, str):
        low = value.strip().lower()
        return _PROTOCOLS.get(low, low)
    return value


def _port(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return value


def merge_sg_rules(rules: list[dict]) -> list[dict]:
    """Rules in the provider's canonical form: every field present, protocol
    canonical (``all``/``-1``, ``6`` = ``tcp``), lists sorted, and rules with the
    same protocol, ports and description merged (as the provider reads them)."""
    merged: dict[tuple, dict] = {}
    for rule in rules:
        protocol = _protocol(rule.get("protocol"))
        from_port, to_port = _port(rule.get("from_port", 0)), _port(rule.get("to_port", 0))
        if protocol == "-1":
            from_port = to_port = 0
        description = rule.get("description") or ""
        key = (str(protocol), str(from_port), str(to_port), description)
        out = merged.setdefault(key, {
            "from_port": from_port, "to_port": to_port, "protocol": protocol,
            **{f: [] for f in _SG_LIST_FIELDS}, "self": False, "description": description,
        })
        for field in _SG_LIST_FIELDS:
            for item in rule.get(field) or []:
                if item not in out[field]:
                    out[field].append(item)
        out["self"] = out["self"] or rule.get("self") is True or rule.get("self") == "true"
    result = []
    for rule in merged.values():
        for field in _SG_LIST_FIELDS:
            rule[field] = sorted(rule[field], key=str)
        result.append(rule)
    return sorted(result, key=lambda r: json.dumps(r, sort_keys=True, default=str))


def _sg_rules(permissions: Any, own_id: str, owner: str) -> list[dict]:
    rules: list[dict] = []
    for perm in permissions or []:
        base = {"protocol": perm.get("IpProtocol"), "from_port": perm.get("FromPort", 0),
                "to_port": perm.get("ToPort", 0)}

        def add(description: Any, **fields: Any) -> None:
            rules.append({**base, "description": description or "", **fields})

        for r in perm.get("IpRanges") or []:
            add(r.get("Description"), cidr_blocks=[r.get("CidrIp")])
        for r in perm.get("Ipv6Ranges") or []:
            add(r.get("Description"), ipv6_cidr_blocks=[r.get("CidrIpv6")])
        for r in perm.get("PrefixListIds") or []:
            add(r.get("Description"), prefix_list_ids=[r.get("PrefixListId")])
        for r in perm.get("UserIdGroupPairs") or []:
            group = r.get("GroupId")
            if group == own_id:
                add(r.get("Description"), self=True)
            else:
                user = r.get("UserId")
                add(r.get("Description"), security_groups=[f"{user}/{group}" if user and owner and user != owner else group])
    return merge_sg_rules(rules)


def security_group_attributes(group: dict) -> dict:
    """``describe_security_groups`` entry -> ``aws_security_group`` attributes."""
    own, owner = group.get("GroupId", ""), group.get("OwnerId", "")
    attrs = {
        "name": group.get("GroupName"),
        "description": group.get("Description"),
        "vpc_id": group.get("VpcId"),
        "ingress": _sg_rules(group.get("IpPermissions"), own, owner),
        "egress": _sg_rules(group.get("IpPermissionsEgress"), own, owner),
        "tags": _tags(group.get("Tags")),
        "arn": group.get("SecurityGroupArn"),
        "owner_id": owner,
    }
    return {k: v for k, v in attrs.items() if v is not None}


def _cidr(value: str) -> str:
    """A CIDR in AWS's canonical form (``2001:DB8::/32`` is ``2001:db8::/32``)."""
    try:
        return str(ipaddress.ip_network(value.strip(), strict=False))
    except ValueError:
        return value.strip()


def _rule_ports(protocol: str, from_port: Any, to_port: Any) -> str | None:
    """The port part of a rule key: ``all`` for protocol -1, ``443``, ``1024-65535``."""
    if protocol == "-1":
        return "all"
    low, high = _port(from_port), _port(to_port)
    if not all(isinstance(p, int) and not isinstance(p, bool) for p in (low, high)):
        return None
    return str(low) if low == high else f"{low}-{high}"


def sg_rule_units(rules: Any, group_naturals: dict[str, str], owner: str) -> dict[str, list[dict]]:
    """``describe_security_group_rules`` entries per group id, each one rule with
    one source (what a security group rule id stands for): ``egress``,
    ``protocol`` (canonical), ``ports`` (key form), ``from_port``/``to_port``,
    ``kind`` (the v5 attribute naming the source), ``value``, ``token`` (the
    source in key form: a CIDR, a prefix list id, ``sg:<group natural id or
    id>``), ``description``, ``tags``, ``rule_id``.  Pure."""
    out: dict[str, list[dict]] = {}
    for rule in rules or []:
        if not isinstance(rule, dict):
            continue
        protocol = _protocol(rule.get("IpProtocol"))
        if not isinstance(protocol, str):
            continue
        ports = _rule_ports(protocol, rule.get("FromPort"), rule.get("ToPort"))
        if ports is None:
            continue
        ref = rule.get("ReferencedGroupInfo") or {}
        if rule.get("CidrIpv4"):
            kind, value = "cidr_ipv4", _cidr(str(rule["CidrIpv4"]))
            token = value
        elif rule.get("CidrIpv6"):
            kind, value = "cidr_ipv6", _cidr(str(rule["CidrIpv6"]))
            token = value
        elif rule.get("PrefixListId"):
            kind, value = "prefix_list_id", str(rule["PrefixListId"])
            token = value
        elif isinstance(ref, dict) and ref.get("GroupId"):
            group, user = str(ref["GroupId"]), ref.get("UserId")
            kind = "referenced_security_group_id"
            value = f"{user}/{group}" if user and owner and user != owner else group
            token = "sg:" + group_naturals.get(value, value)
        else:
            continue
        out.setdefault(str(rule.get("GroupId")), []).append({
            "rule_id": str(rule.get("SecurityGroupRuleId", "")), "egress": bool(rule.get("IsEgress")),
            "protocol": protocol, "ports": ports, "from_port": _port(rule.get("FromPort")),
            "to_port": _port(rule.get("ToPort")), "kind": kind, "value": value, "token": token,
            "description": rule.get("Description") or "", "tags": _tags(rule.get("Tags")),
        })
    for units in out.values():
        units.sort(key=lambda u: (u["egress"], u["protocol"], u["ports"], u["token"], u["rule_id"]))
    return out


def sg_rule_attributes(unit: dict, group_id: str) -> dict:
    """One rule unit as ``aws_vpc_security_group_{ingress,egress}_rule`` attributes
    (provider v5: no ports for protocol -1, one source)."""
    attrs: dict[str, Any] = {"security_group_id": group_id, "ip_protocol": unit["protocol"]}
    if unit["protocol"] != "-1":
        attrs["from_port"], attrs["to_port"] = unit["from_port"], unit["to_port"]
    attrs[unit["kind"]] = unit["value"]
    attrs["description"] = unit["description"]
    attrs["tags"] = unit["tags"]
    return attrs


def legacy_rule_attributes(units: list[dict], group_id: str, desired_description: Any) -> dict:
    """The live rules one ``aws_security_group_rule`` template claims, as that
    resource's attributes (``cidr_blocks`` etc. hold only the claimed sources)."""
    first = units[0]
    protocol = first["protocol"]
    attrs: dict[str, Any] = {
        "type": "egress" if first["egress"] else "ingress", "security_group_id": group_id, "protocol": protocol,
        "from_port": 0 if protocol == "-1" else first["from_port"], "to_port": 0 if protocol == "-1" else first["to_port"],
        "cidr_blocks": sorted(u["value"] for u in units if u["kind"] == "cidr_ipv4"),
        "ipv6_cidr_blocks": sorted(u["value"] for u in units if u["kind"] == "cidr_ipv6"),
        "prefix_list_ids": sorted(u["value"] for u in units if u["kind"] == "prefix_list_id"),
        "self": any(u["kind"] == "referenced_security_group_id" and u["value"] == group_id for u in units),
    }
    others = sorted(u["value"] for u in units if u["kind"] == "referenced_security_group_id" and u["value"] != group_id)
    if others:
        attrs["source_security_group_id"] = others[0]
    # AWS stores the description per source: show the one that differs from the template, if any
    descriptions = [u["description"] for u in units]
    attrs["description"] = next((d for d in descriptions if d != (desired_description or "")), descriptions[0])
    return attrs


def _grantee(grantee: dict) -> dict:
    out = {"type": grantee.get("Type"), "id": grantee.get("ID"), "uri": grantee.get("URI"),
           "email_address": grantee.get("EmailAddress"), "display_name": grantee.get("DisplayName")}
    return {k: v for k, v in out.items() if v is not None}


def _canned_acl(grants: list[dict], owner_id: Any) -> str | None:
    """The canned ACL a grant list amounts to, when it is one."""
    seen = set()
    for grant in grants:
        grantee = grant.get("Grantee") or {}
        who = grantee.get("URI") or ("owner" if grantee.get("ID") == owner_id else "other:" + str(grantee.get("ID")))
        seen.add((who, grant.get("Permission")))
    owner = {("owner", "FULL_CONTROL")}
    table = {
        "private": owner,
        "public-read": owner | {(_ALL_USERS, "READ")},
        "public-read-write": owner | {(_ALL_USERS, "READ"), (_ALL_USERS, "WRITE")},
        "authenticated-read": owner | {(_AUTH_USERS, "READ")},
        "log-delivery-write": owner | {(_LOG_DELIVERY, "WRITE"), (_LOG_DELIVERY, "READ_ACP")},
    }
    for name, grants_of in table.items():
        if seen == grants_of:
            return name
    return None


def s3_bucket_objects(bucket: str, responses: dict[str, Any]) -> list[tuple[str, dict, bool]]:
    """(type, attributes, default) for one bucket from its API responses.

    ``responses`` maps ``tagging``, ``public_access_block``, ``encryption``,
    ``ownership_controls``, ``versioning``, ``policy``, ``acl``, ``logging``
    to the Get* response, or None when S3 says it is not configured (a key
    left out was not read).  Pure: tested on recorded real-S3 responses."""
    out: list[tuple[str, dict, bool]] = []
    tagging = responses.get("tagging")
    out.append(("aws_s3_bucket", {"bucket": bucket, "tags": _tags((tagging or {}).get("TagSet"))}, False))

    pab = (responses.get("public_access_block") or {}).get("PublicAccessBlockConfiguration")
    if isinstance(pab, dict):
        attrs = {"bucket": bucket,
                 "block_public_acls": bool(pab.get("BlockPublicAcls", False)),
                 "block_public_policy": bool(pab.get("BlockPublicPolicy", False)),
                 "ignore_public_acls": bool(pab.get("IgnorePublicAcls", False)),
                 "restrict_public_buckets": bool(pab.get("RestrictPublicBuckets", False))}
        out.append(("aws_s3_bucket_public_access_block", attrs, all(v for k, v in attrs.items() if k != "bucket")))

    sse = (responses.get("encryption") or {}).get("ServerSideEncryptionConfiguration")
    if isinstance(sse, dict):
        rules = []
        for rule in sse.get("Rules") or []:
            default = rule.get("ApplyServerSideEncryptionByDefault") or {}
            by_default = {"sse_algorithm": default.get("SSEAlgorithm")}
            if default.get("KMSMasterKeyID"):
                by_default["kms_master_key_id"] = default["KMSMasterKeyID"]
            rules.append({"apply_server_side_encryption_by_default": [by_default],
                          "bucket_key_enabled": bool(rule.get("BucketKeyEnabled", False))})
        s3_default = len(rules) == 1 and rules[0]["apply_server_side_encryption_by_default"] == [{"sse_algorithm": "AES256"}]
        out.append(("aws_s3_bucket_server_side_encryption_configuration", {"bucket": bucket, "rule": rules}, s3_default))

    versioning = responses.get("versioning") or {}
    if versioning.get("Status"):
        config = {"status": versioning["Status"]}
        if versioning.get("MFADelete"):
            config["mfa_delete"] = versioning["MFADelete"]
        out.append(("aws_s3_bucket_versioning", {"bucket": bucket, "versioning_configuration": [config]}, False))

    policy = (responses.get("policy") or {}).get("Policy")
    if policy:
        out.append(("aws_s3_bucket_policy", {"bucket": bucket, "policy": _policy_text(policy)}, False))

    acl = responses.get("acl")
    if isinstance(acl, dict) and "Grants" in acl:
        owner = acl.get("Owner") or {}
        grants = [g for g in acl.get("Grants") or [] if isinstance(g, dict)]
        attrs = {"bucket": bucket, "access_control_policy": [{
            "grant": sorted(({"grantee": [_grantee(g.get("Grantee") or {})], "permission": g.get("Permission")}
                             for g in grants), key=lambda g: json.dumps(g, sort_keys=True)),
            "owner": [{k: v for k, v in {"id": owner.get("ID"), "display_name": owner.get("DisplayName")}.items() if v}],
        }]}
        canned = _canned_acl(grants, owner.get("ID"))
        if canned:
            attrs["acl"] = canned
        out.append(("aws_s3_bucket_acl", attrs, canned == "private"))

    ownership = (responses.get("ownership_controls") or {}).get("OwnershipControls")
    if isinstance(ownership, dict):
        rules = [{"object_ownership": r.get("ObjectOwnership")} for r in ownership.get("Rules") or []]
        out.append(("aws_s3_bucket_ownership_controls", {"bucket": bucket, "rule": rules},
                    rules == [{"object_ownership": "BucketOwnerEnforced"}]))

    logging = (responses.get("logging") or {}).get("LoggingEnabled")
    if isinstance(logging, dict):
        out.append(("aws_s3_bucket_logging", {"bucket": bucket, "target_bucket": logging.get("TargetBucket"),
                                              "target_prefix": logging.get("TargetPrefix", "")}, False))
    return out


def db_instance_attributes(db: dict) -> dict:
    """``describe_db_instances`` entry -> ``aws_db_instance`` attributes."""
    attrs = {
        "identifier": db.get("DBInstanceIdentifier"),
        "engine": db.get("Engine"),
        "engine_version": db.get("EngineVersion"),
        "instance_class": db.get("DBInstanceClass"),
        "allocated_storage": db.get("AllocatedStorage"),
        "storage_type": db.get("StorageType"),
        "storage_encrypted": bool(db.get("StorageEncrypted", False)),
        "kms_key_id": db.get("KmsKeyId"),
        "publicly_accessible": bool(db.get("PubliclyAccessible", False)),
        "backup_retention_period": db.get("BackupRetentionPeriod"),
        "deletion_protection": bool(db.get("DeletionProtection", False)),
        "iam_database_authentication_enabled": bool(db.get("IAMDatabaseAuthenticationEnabled", False)),
        "multi_az": bool(db.get("MultiAZ", False)),
        "enabled_cloudwatch_logs_exports": sorted(db.get("EnabledCloudwatchLogsExports") or []),
        "vpc_security_group_ids": sorted(g.get("VpcSecurityGroupId") for g in db.get("VpcSecurityGroups") or []
                                         if g.get("VpcSecurityGroupId")),
        "db_subnet_group_name": (db.get("DBSubnetGroup") or {}).get("DBSubnetGroupName"),
        "username": db.get("MasterUsername"),
        "port": (db.get("Endpoint") or {}).get("Port") or db.get("DbInstancePort") or None,
        "auto_minor_version_upgrade": db.get("AutoMinorVersionUpgrade"),
        "copy_tags_to_snapshot": db.get("CopyTagsToSnapshot"),
        "replicate_source_db": db.get("ReadReplicaSourceDBInstanceIdentifier"),
        "tags": _tags(db.get("TagList")),
        "arn": db.get("DBInstanceArn"),
    }
    return {k: v for k, v in attrs.items() if v is not None}


def trail_attributes(trail: dict, status: dict | None) -> dict:
    """``describe_trails`` entry (+ ``get_trail_status``) -> ``aws_cloudtrail`` attributes."""
    attrs = {
        "name": trail.get("Name"),
        "s3_bucket_name": trail.get("S3BucketName"),
        "s3_key_prefix": trail.get("S3KeyPrefix"),
        "include_global_service_events": bool(trail.get("IncludeGlobalServiceEvents", False)),
        "is_multi_region_trail": bool(trail.get("IsMultiRegionTrail", False)),
        "is_organization_trail": bool(trail.get("IsOrganizationTrail", False)),
        "enable_log_file_validation": bool(trail.get("LogFileValidationEnabled", False)),
        "kms_key_id": trail.get("KmsKeyId"),
        "cloud_watch_logs_group_arn": trail.get("CloudWatchLogsLogGroupArn"),
        "cloud_watch_logs_role_arn": trail.get("CloudWatchLogsRoleArn"),
        "sns_topic_name": trail.get("SnsTopicName"),
        "arn": trail.get("TrailARN"),
    }
    if status is not None and "IsLogging" in status:
        attrs["enable_logging"] = bool(status["IsLogging"])
    return {k: v for k, v in attrs.items() if v is not None}


# ---------------------------------------------------------------- comparison
def _aws_equal(path: tuple, desired: Any, live: Any) -> bool | None:
    verdict = TEMPLATE_SPEC.equal(path, desired, live)
    if verdict is not None:
        return verdict
    name = path[-1] if path else ""
    if name in ("kms_key_id", "kms_master_key_id") and isinstance(desired, str) and isinstance(live, str):
        # a key id or alias in the template, the ARN in live
        return desired == live or live.endswith("/" + desired) or live.endswith(":" + desired)
    if name == "engine_version" and isinstance(desired, str) and isinstance(live, str):
        return live == desired or live.startswith(desired + ".")  # "14" is "14.7" with minor upgrades
    return None


def _aws_multiset(path: tuple) -> bool:
    # the S3 encryption / ownership ``rule`` is a set of (in practice) one nested
    # block: compared by position, so the subset rule and Unknown reach inside it
    return TEMPLATE_SPEC.multiset(path) and path[-1] != "rule"


AWS_SPEC = DiffSpec(keyed=TEMPLATE_SPEC.keyed, multiset=_aws_multiset, equal=_aws_equal, subset=True)



# ---------------------------------------------------------------- references
_REF = re.compile(r"^\$?\{?\s*(?P<type>[a-z][a-z0-9_]*)\.(?P<label>[A-Za-z_][A-Za-z0-9_-]*)"
                  r"(?:\[[^\]]*\])?\.(?P<attr>[a-z_]+)\s*\}?$")


def _module_prefix(resource: Resource) -> str:
    marker = f"{resource.type}."
    at = resource.name.rfind(marker)
    return resource.name[:at] if at > 0 else ""


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _direction(unit: dict) -> str:
    return "egress" if unit["egress"] else "ingress"


def _declares_nothing(resource: Resource) -> bool:
    """``count = 0`` or an empty ``for_each``."""
    attrs = resource.attributes if isinstance(resource.attributes, dict) else {}
    for meta in ("count", "for_each"):
        value = attrs.get(meta)
        if value is not None and not isinstance(value, Unknown) and (value == 0 or value in ([], {}, "")):
            return True
    return False


class AwsSource:
    """Read-only live AWS source; see the module docstring."""

    name = "aws"
    schema = "terraform"

    def __init__(self, *, connect_timeout: float = 10.0, read_timeout: float = 30.0, max_attempts: int = 5,
                 call_budget: int = 5000, progress: Callable[[str], None] | None = None) -> None:
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_attempts = max_attempts
        self.call_budget = call_budget
        self.progress = progress
        self.region = ""
        self.account = ""
        self.partition = "aws"
        self._templates: dict[str, Resource] = {}
        self._kms_aliases: dict[str, list[str]] = {}  # kms template address -> alias names
        self._sg_ids: dict[str, str] = {}  # live SG key -> group id
        self._dup_sg_names: set[str] = set()
        self._access_key_order: dict[str, int] = {}  # template address -> 1-based position for its user
        self._sg_standalone: set[str] = set()  # SG template addresses with standalone rule resources
        self._sg_standalone_unknown = False

    # ------------------------------------------------------------ templates
    def _index_templates(self, templates: list[Resource]) -> None:
        self._templates = {t.name: t for t in templates if t.schema == "terraform"}
        self._kms_aliases = {}
        per_user: dict[str, list[Resource]] = {}
        self._sg_standalone, self._sg_standalone_unknown = set(), False
        for t in self._templates.values():
            attrs = t.attributes if isinstance(t.attributes, dict) else {}
            if t.type == "aws_kms_alias":
                target, name = attrs.get("target_key_id"), _text(attrs.get("name"))
                ref = self._referenced(t, target)
                if name and ref is not None and ref.type == "aws_kms_key":
                    self._kms_aliases.setdefault(ref.name, []).append(name)
            elif t.type == "aws_iam_access_key":
                user = self._resolve(t, attrs.get("user"))
                if user:
                    per_user.setdefault(user, []).append(t)
            elif t.type in ("aws_security_group_rule", "aws_vpc_security_group_ingress_rule",
                            "aws_vpc_security_group_egress_rule"):
                ref = self._referenced(t, attrs.get("security_group_id"))
                if ref is not None and ref.type == "aws_security_group":
                    self._sg_standalone.add(ref.name)
                elif not (isinstance(attrs.get("security_group_id"), Unknown)
                          and str(getattr(attrs.get("security_group_id"), "expr", "")).startswith("aws_default_security_group.")):
                    self._sg_standalone_unknown = True  # a rule whose group cannot be told
        self._access_key_order = {}
        for keys in per_user.values():
            for i, t in enumerate(sorted(keys, key=lambda r: (r.file, r.start_line, r.name)), start=1):
                self._access_key_order[t.name] = i

    def _referenced(self, resource: Resource, value: Any) -> Resource | None:
        """The template resource an ``Unknown`` reference such as ``aws_s3_bucket.x.id`` names."""
        if not isinstance(value, Unknown):
            return None
        match = _REF.match(value.expr.strip())
        if not match:
            return None
        address = f"{_module_prefix(resource)}{match['type']}.{match['label']}"
        return self._templates.get(address)

    def _resolve(self, resource: Resource, value: Any) -> str | None:
        """A literal string, or the natural id a reference to another template stands for."""
        if isinstance(value, str):
            return value or None
        if not isinstance(value, Unknown):
            return None
        match = _REF.match(value.expr.strip())
        target = self._referenced(resource, value)
        if match is None or target is None or not isinstance(target.attributes, dict):
            return None
        attr, tattrs = match["attr"], target.attributes
        if target.type == "aws_s3_bucket" and attr in ("id", "bucket"):
            return _text(tattrs.get("bucket"))
        if target.type in ("aws_iam_user", "aws_iam_role") and attr in ("id", "name"):
            return _text(tattrs.get("name"))
        if target.type == "aws_iam_policy" and attr in ("id", "arn"):
            name, path = _text(tattrs.get("name")), tattrs.get("path", "/")
            if name and isinstance(path, str) and self.account:
                return f"arn:{self.partition}:iam::{self.account}:policy{path}{name}"
            return None
        if target.type == "aws_security_group" and attr == "id":
            name = _text(tattrs.get("name"))
            return self._sg_ids.get(f"aws_security_group:{name}") if name else None
        return None

    # ------------------------------------------------------------ standalone SG rules
    def _group_natural(self, resource: Resource, value: Any) -> str | None:
        """The natural id of the security group ``value`` names: a reference to a
        templated ``aws_security_group`` or the id of a live group."""
        if isinstance(value, str):
            for key, group_id in self._sg_ids.items():
                if group_id == value:
                    return key.split(":", 1)[1]
            return None
        ref = self._referenced(resource, value)
        if ref is None or ref.type != "aws_security_group":
            return None
        key = self.template_key(ref)
        return key.split(":", 1)[1] if key else None

    def _group_token(self, resource: Resource, value: Any) -> str | None:
        """A referenced group as a rule source token (``sg:<natural id>``, else ``sg:<id>``)."""
        natural = self._group_natural(resource, value)
        if natural:
            return "sg:" + natural
        return "sg:" + value if isinstance(value, str) and value else None

    def rule_parts(self, resource: Resource) -> tuple[str, str, str, str, tuple[str, ...]] | None:
        """(group, direction, protocol, ports, source tokens) of a standalone rule
        template, None when one of them is not known statically."""
        attrs = resource.attributes if isinstance(resource.attributes, dict) else {}
        group = self._group_natural(resource, attrs.get("security_group_id"))
        if resource.type == "aws_security_group_rule":
            direction, protocol = attrs.get("type"), _protocol(attrs.get("protocol"))
        else:
            direction = "ingress" if resource.type == "aws_vpc_security_group_ingress_rule" else "egress"
            protocol = _protocol(attrs.get("ip_protocol"))
        if not group or direction not in ("ingress", "egress") or not isinstance(protocol, str):
            return None
        ports = _rule_ports(protocol, attrs.get("from_port"), attrs.get("to_port"))
        tokens: list[str | None] = []
        if resource.type == "aws_security_group_rule":
            for field in ("cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids"):
                values = attrs.get(field) or []
                if not isinstance(values, list):
                    return None
                tokens += [(_cidr(v) if field != "prefix_list_ids" else v) if isinstance(v, str) and v else None
                           for v in values]
            if attrs.get("source_security_group_id") is not None:
                tokens.append(self._group_token(resource, attrs["source_security_group_id"]))
            if attrs.get("self") is True or attrs.get("self") == "true":
                tokens.append("sg:" + group)
            elif attrs.get("self") not in (None, False, "false"):
                return None
        else:
            given = [f for f in ("cidr_ipv4", "cidr_ipv6", "prefix_list_id", "referenced_security_group_id")
                     if attrs.get(f) is not None]
            if len(given) != 1:
                return None
            value = attrs[given[0]]
            if given[0] == "referenced_security_group_id":
                tokens.append(self._group_token(resource, value))
            elif isinstance(value, str) and value:
                tokens.append(_cidr(value) if given[0].startswith("cidr") else value)
            else:
                tokens.append(None)
        if ports is None or not tokens or any(t is None for t in tokens):
            return None
        return group, direction, protocol, ports, tuple(sorted(set(t for t in tokens if t)))

    def rule_plan(self) -> tuple[dict[str, dict], bool]:
        """Per security group (natural id) managed by standalone rule resources:
        ``rules`` [(template, key, direction, protocol, ports, tokens)] in file
        order and ``unkeyed`` (templates whose key is not known statically); and
        whether some rule template names a group that cannot be told."""
        plan: dict[str, dict] = {}
        unknown_group = False
        for t in sorted(self._templates.values(), key=lambda r: (r.file, r.start_line, r.name)):
            if t.type not in SG_RULE_TYPES or _declares_nothing(t):
                continue
            attrs = t.attributes if isinstance(t.attributes, dict) else {}
            target = attrs.get("security_group_id")
            group = self._group_natural(t, target)
            if group is None:
                if isinstance(target, Unknown) and not target.expr.strip().startswith("aws_default_security_group."):
                    unknown_group = True  # var.sg_id, a module output: could be any group
                continue
            entry = plan.setdefault(group, {"rules": [], "unkeyed": 0})
            key = self.template_key(t)
            parts = self.rule_parts(t)
            if key is None or parts is None:
                entry["unkeyed"] += 1
            else:
                entry["rules"].append((t, key) + parts[1:])
        return plan, unknown_group

    def template_key(self, resource: Resource) -> str | None:
        if resource.schema != "terraform" or resource.type not in READ_ATTRIBUTES:
            return None
        attrs = resource.attributes if isinstance(resource.attributes, dict) else {}
        rtype = resource.type
        natural: str | None
        if rtype in S3_TYPES:
            natural = self._resolve(resource, attrs.get("bucket"))
        elif rtype == "aws_security_group":
            natural = _text(attrs.get("name"))
            if natural in self._dup_sg_names:
                vpc = _text(attrs.get("vpc_id"))
                natural = f"{natural}@{vpc}" if vpc else None
        elif rtype in ("aws_iam_user", "aws_iam_role", "aws_iam_policy", "aws_cloudtrail"):
            natural = _text(attrs.get("name"))
        elif rtype == "aws_iam_access_key":
            natural = self._resolve(resource, attrs.get("user"))
            order = self._access_key_order.get(resource.name, 1)
            if natural and order > 1:
                natural = f"{natural}#{order}"
        elif rtype in ("aws_iam_user_policy_attachment", "aws_iam_role_policy_attachment"):
            owner = self._resolve(resource, attrs.get("user" if rtype == "aws_iam_user_policy_attachment" else "role"))
            arn = self._resolve(resource, attrs.get("policy_arn"))
            natural = f"{owner}/{arn}" if owner and arn else None
        elif rtype == "aws_db_instance":
            natural = _text(attrs.get("identifier"))
        elif rtype in SG_RULE_TYPES:
            parts = self.rule_parts(resource)
            if parts is None:
                return None
            group, direction, protocol, ports, tokens = parts
            if rtype == "aws_security_group_rule":
                natural = f"{group}:{direction}:{protocol}:{ports}:{','.join(tokens)}"
            else:
                natural = f"{group}:{protocol}:{ports}:{tokens[0]}"
        elif rtype == "aws_kms_key":
            aliases = sorted(self._kms_aliases.get(resource.name, []))
            natural = aliases[0] if aliases else _text(attrs.get("description"))
        else:
            natural = None
        return f"{rtype}:{natural}" if natural else None

    # ------------------------------------------------------------ compare
    def compare(self, template: Resource | None, obj: LiveObject) -> list[Change]:
        if obj.attributes is None or template is None:
            return []
        return diff(self.desired_attributes(template), obj.attributes, AWS_SPEC)

    def desired_attributes(self, template: Resource) -> dict:
        """The template's attributes as they compare with live: only what this
        source reads, without computed noise, in the live canonical forms."""
        attrs = template.attributes if isinstance(template.attributes, dict) else {}
        wanted = READ_ATTRIBUTES.get(template.type, frozenset())
        ignored = ignored_attributes(attrs)
        if ignored is None:  # ignore_changes = all
            return {}
        attrs = with_security_defaults(template.type, attrs)
        desired = {k: v for k, v in strip_noise(attrs).items() if k in wanted and k not in ignored}
        if template.type == "aws_security_group_rule":
            for field in ("cidr_blocks", "ipv6_cidr_blocks"):
                if isinstance(desired.get(field), list):
                    desired[field] = [_cidr(v) if isinstance(v, str) else v for v in desired[field]]
        if template.type == "aws_security_group":
            standalone = template.name in self._sg_standalone or self._sg_standalone_unknown
            for direction in ("ingress", "egress"):
                rules = desired.get(direction)
                if rules is None:
                    # the provider removes rules a template does not declare (the
                    # default allow-all egress included) -- unless standalone rule
                    # resources manage them
                    if not standalone:
                        desired[direction] = []
                    continue
                if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
                    desired[direction] = Unknown(direction)  # dynamic blocks: cannot compare
                    continue
                rules = [self._resolve_rule(template, r) for r in rules]
                desired[direction] = Unknown(direction) if contains_unknown(rules) else merge_sg_rules(rules)
        return desired

    def _resolve_rule(self, template: Resource, rule: dict) -> dict:
        groups = rule.get("security_groups")
        if isinstance(groups, list):
            resolved = [self._resolve(template, g) if isinstance(g, Unknown) else g for g in groups]
            rule = {**rule, "security_groups": [g if g is not None else Unknown("security_groups") for g in resolved]}
        return rule

    # ------------------------------------------------------------ load
    def load(self, spec: str, templates: list[Resource]) -> Snapshot:
        region, profile = _parse_spec(spec)
        try:
            import boto3
            import botocore.config
            import botocore.exceptions
        except ImportError:
            raise UsageError(MISSING_EXTRA) from None
        self.region = region
        self._index_templates(templates)
        try:
            session = boto3.session.Session(profile_name=profile, region_name=region)
        except botocore.exceptions.ProfileNotFound:
            raise UsageError(f"AWS profile {profile!r} not found in the AWS configuration") from None
        except botocore.exceptions.BotoCoreError as exc:
            raise UsageError(f"cannot set up the AWS session: {type(exc).__name__}") from None
        reader = _Reader(self, session, botocore)
        reader.identify()
        self.account, self.partition = reader.account, reader.partition
        self._index_templates(templates)  # policy ARNs need the account
        reader.read_all()
        objects = reader.finish()
        self._sg_ids = reader.sg_ids
        self._dup_sg_names = reader.dup_sg_names
        failed = reader.failed_keys
        prefixes = tuple(k[:-1] for k in failed if k.endswith("*"))
        inspected = set()
        addresses: dict[str, str] = {}
        for t in sorted(self._templates.values(), key=lambda r: (r.file, r.start_line, r.name)):
            key = self.template_key(t)
            if key:
                addresses.setdefault(key, t.name)
            if key and t.type in reader.read_types and key not in failed and not key.startswith(prefixes):
                inspected.add(key)
        for obj in objects:  # a matched object is shown under its template's address
            obj.address = addresses.get(obj.key, obj.address)
        provenance = f"aws://{region} (account {reader.account})"
        return Snapshot(
            objects=objects,
            diagnostics=sorted(reader.diagnostics, key=lambda d: d.sort_key()),
            inspected=inspected,
            properties={"scope": provenance, "region": region, "account": reader.account,
                        "api_calls": reader.calls, "types": dict(sorted(Counter(o.type for o in objects).items())),
                        "not_inspected": sorted(set(TYPES) - reader.read_types)},
        )


def _parse_spec(spec: str) -> tuple[str, str | None]:
    match = _SPEC.match(spec.strip()) if isinstance(spec, str) else None
    if not match:
        raise UsageError("live AWS source must look like aws://REGION or aws://REGION?profile=NAME (e.g. aws://eu-west-1)")
    profile = None
    for name, value in urllib.parse.parse_qsl(match["query"] or "", keep_blank_values=True):
        if name != "profile":
            raise UsageError(f"aws:// source: unknown option {name!r} (only profile=NAME)")
        if not _PROFILE.match(value):
            raise UsageError("aws:// source: the profile name is empty or has characters a profile cannot have")
        profile = value
    return match["region"], profile


class _Reader:
    """One read of one account and region: clients, budget, diagnostics."""

    def __init__(self, source: AwsSource, session: Any, botocore: Any) -> None:
        self.source = source
        self.session = session
        self.botocore = botocore
        self.region = source.region
        self.scope = f"aws://{source.region}"
        self.calls = 0
        self.account = ""
        self.partition = "aws"
        self.provenance = ""
        self.records: list[tuple[str, str, dict, str, bool, str]] = []  # type, natural id, attributes, native id, default, note
        self.diagnostics: list[Diagnostic] = []
        self.read_types: set[str] = set()
        self.failed_keys: set[str] = set()
        self.failures: Counter = Counter()  # (service, operation, code, what) -> count
        self.sg_ids: dict[str, str] = {}
        self.dup_sg_names: set[str] = set()
        self.exhausted = False
        self._clients: dict[str, Any] = {}

    # ------------------------------------------------------------ plumbing
    def _config(self, attempts: int | None = None) -> Any:
        return self.botocore.config.Config(
            region_name=self.region,
            retries={"mode": "adaptive", "max_attempts": attempts or self.source.max_attempts},
            connect_timeout=self.source.connect_timeout,
            read_timeout=self.source.read_timeout,
            user_agent_extra="zerodrift-drift",
        )

    def client(self, service: str, attempts: int | None = None) -> Any:
        key = f"{service}:{attempts}"
        if key not in self._clients:
            client = self.session.client(service, config=self._config(attempts))
            client.meta.events.register("before-call", self._count)
            self._clients[key] = client
        return self._clients[key]

    def _count(self, **_kwargs: Any) -> None:
        self.calls += 1
        if self.calls > self.source.call_budget:
            raise _BudgetExhausted()

    def pages(self, client: Any, operation: str, key: str, **kwargs: Any) -> Iterator[Any]:
        for page in client.get_paginator(operation).paginate(**kwargs):
            yield from page.get(key) or []

    def note(self, reason: str) -> None:
        self.diagnostics.append(Diagnostic(self.scope, None, reason, "warning"))

    def _progress(self, message: str) -> None:
        if self.source.progress is not None:
            self.source.progress(message)

    def try_call(self, service: str, what: str, fn: Callable[[], Any], absent: frozenset[str] = frozenset(),
                 keys: tuple[str, ...] = ()) -> tuple[Any, bool]:
        """(response, ok): ``absent`` error codes mean "not configured" (None, True);
        another error is counted for one summary diagnostic and ``keys`` are not inspected."""
        ClientError = self.botocore.exceptions.ClientError
        try:
            return fn(), True
        except ClientError as exc:
            code = str((exc.response.get("Error") or {}).get("Code", "error"))
            if code in absent:
                return None, True
            self.failures[(service, exc.operation_name, code, what)] += 1
        except self.botocore.exceptions.BotoCoreError as exc:
            self.failures[(service, "call", type(exc).__name__, what)] += 1
        self.failed_keys.update(keys)
        return None, False

    def add(self, rtype: str, natural: str, attributes: dict, native_id: str, default: bool = False,
            note: str = "") -> None:
        self.records.append((rtype, natural, attributes, native_id, default, note))

    def attachments(self, owner: str, name: str, call: Callable[[], Any]) -> None:
        """The managed policies attached to an IAM user or role, one aws_iam_<owner>_policy_attachment each."""
        rtype = f"aws_iam_{owner}_policy_attachment"
        attached, _ok = self.try_call("iam", owner, call, keys=(f"{rtype}:{name}/*",))
        for policy in sorted((attached or {}).get("AttachedPolicies") or [], key=lambda p: str(p.get("PolicyArn"))):
            arn = str(policy.get("PolicyArn"))
            self.add(rtype, f"{name}/{arn}", {owner: name, "policy_arn": arn}, f"{name}/{arn}")

    # ------------------------------------------------------------ identity
    def identify(self) -> None:
        exc_mod = self.botocore.exceptions
        try:
            identity = self.client("sts", attempts=2).get_caller_identity()
        except exc_mod.NoCredentialsError:
            raise UsageError("no AWS credentials found: configure the AWS credential chain "
                             "(environment, profile, SSO or instance role) for live AWS") from None
        except (exc_mod.EndpointConnectionError, exc_mod.ConnectTimeoutError, exc_mod.ConnectionClosedError) as exc:
            raise UsageError(f"cannot reach AWS in {self.region} ({type(exc).__name__}); "
                             "check the network, the region or AWS_ENDPOINT_URL") from None
        except exc_mod.ClientError as exc:
            code = str((exc.response.get("Error") or {}).get("Code", "error"))
            if code in _CREDENTIAL_CODES:
                raise UsageError(f"AWS rejected the credentials ({code})") from None
            raise UsageError(f"AWS STS GetCallerIdentity failed ({code})") from None
        except exc_mod.BotoCoreError as exc:
            raise UsageError(f"cannot talk to AWS in {self.region} ({type(exc).__name__})") from None
        except _BudgetExhausted:
            raise UsageError("the AWS API call budget is too small to read anything") from None
        self.account = str(identity.get("Account", ""))
        arn = str(identity.get("Arn", ""))
        if arn.startswith("arn:") and arn.count(":") >= 2:
            self.partition = arn.split(":")[1] or "aws"  # aws, aws-cn, aws-us-gov
        self.provenance = f"aws://{self.region} (account {self.account})"

    # ------------------------------------------------------------ services
    def read_all(self) -> None:
        readers = (("ec2", self.read_security_groups), ("s3", self.read_s3), ("iam", self.read_iam),
                   ("rds", self.read_rds), ("kms", self.read_kms), ("cloudtrail", self.read_cloudtrail))
        skipped = []
        for service, reader in readers:
            if self.exhausted:
                skipped.append(service)
                continue
            self._progress(f"aws: reading {service}")
            done = len(self.records)
            try:
                reader()
                self.read_types.update(SERVICE_TYPES[service])
            except _BudgetExhausted:
                self.exhausted = True
                del self.records[done:]
                skipped.append(service)
            except self.botocore.exceptions.ClientError as exc:
                code = str((exc.response.get("Error") or {}).get("Code", "error"))
                del self.records[done:]
                kind = "throttled" if code in _THROTTLED else "failed"
                self.note(f"{service}: {exc.operation_name} {kind} ({code}); {service} resources were not inspected")
            except self.botocore.exceptions.BotoCoreError as exc:
                del self.records[done:]
                self.note(f"{service}: {type(exc).__name__}; {service} resources were not inspected")
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                del self.records[done:]
                self.note(f"{service}: unexpected API response shape ({type(exc).__name__}); "
                          f"{service} resources were not inspected")
        if skipped:
            self.note(f"the AWS API call budget ({self.source.call_budget}) ran out; not inspected: "
                      + ", ".join(skipped))
        for (service, operation, code, what), count in sorted(self.failures.items()):
            kind = "throttled" if code in _THROTTLED else "failed"
            self.note(f"{service}: {operation} {kind} ({code}) for {count} {what}(s); those were not inspected")

    def read_security_groups(self) -> None:
        ec2 = self.client("ec2")
        groups = list(self.pages(ec2, "describe_security_groups", "SecurityGroups"))
        vpcs_per_name: dict[str, set] = {}
        for g in groups:
            vpcs_per_name.setdefault(str(g.get("GroupName")), set()).add(g.get("VpcId"))
        self.dup_sg_names = {n for n, vpcs in vpcs_per_name.items() if len(vpcs) > 1}
        naturals: dict[str, str] = {}  # group id -> natural id
        for g in groups:
            name = str(g.get("GroupName"))
            naturals[str(g.get("GroupId"))] = f"{name}@{g.get('VpcId')}" if name in self.dup_sg_names else name
        self.sg_ids = {f"aws_security_group:{natural}": gid for gid, natural in sorted(naturals.items())}
        self.source._sg_ids, self.source._dup_sg_names = dict(self.sg_ids), set(self.dup_sg_names)
        owner = next((str(g.get("OwnerId")) for g in groups if g.get("OwnerId")), self.account)
        as_rules = self.read_security_group_rules(ec2, naturals, owner)
        for g in sorted(groups, key=lambda g: str(g.get("GroupId"))):
            gid = str(g.get("GroupId"))
            attrs = security_group_attributes(g)
            if gid in as_rules:  # its rules are objects of their own: not again in the group
                attrs.pop("ingress", None)
                attrs.pop("egress", None)
            self.add("aws_security_group", naturals[gid], attrs, gid, default=g.get("GroupName") == "default")

    def read_security_group_rules(self, ec2: Any, naturals: dict[str, str], owner: str) -> set[str]:
        """One object per live rule of the groups whose templates manage their rules
        through standalone resources; returns the ids of the groups whose rules
        are fully accounted for that way."""
        plan, unknown_group = self.source.rule_plan()
        wanted = {gid: natural for gid, natural in naturals.items() if natural in plan}
        if not wanted:
            return set()
        listed, ok = self.try_call(
            "ec2", "rule listing", lambda: list(self.pages(ec2, "describe_security_group_rules", "SecurityGroupRules")),
            keys=tuple(f"{t}:*" for t in SG_RULE_TYPES))
        if not ok:
            return set()  # the groups keep their rules inline; no rule template can be missing
        units_of = sg_rule_units(listed, naturals, owner)
        as_rules: set[str] = set()
        unkeyed = 0
        for gid, natural in sorted(wanted.items()):
            entry = plan[natural]
            partial = entry["unkeyed"] > 0 or unknown_group
            unkeyed += entry["unkeyed"]
            pool = list(units_of.get(gid, []))
            live_keys: set[str] = set()
            # a legacy template claims the live rules of its direction, protocol and
            # ports whose source it lists (one template, several AWS rules)
            for template, key, direction, protocol, ports, tokens in entry["rules"]:
                if template.type != "aws_security_group_rule":
                    continue
                claimed = [u for u in pool if _direction(u) == direction and u["protocol"] == protocol
                           and u["ports"] == ports and u["token"] in tokens]
                if not claimed:
                    continue
                pool = [u for u in pool if u not in claimed]
                live_keys.add(key)
                desired = template.attributes.get("description") if isinstance(template.attributes, dict) else None
                attrs = legacy_rule_attributes(claimed, gid, desired)
                import_id = "_".join([gid, direction, protocol, str(attrs["from_port"]), str(attrs["to_port"])]
                                     + [u["value"] if u["value"] != gid else "self" for u in claimed])
                self.add("aws_security_group_rule", key.split(":", 1)[1], attrs, import_id)
            objects = [(f"aws_vpc_security_group_{_direction(u)}_rule",
                        f"{natural}:{u['protocol']}:{u['ports']}:{u['token']}", u) for u in pool]
            live_keys.update(f"{rtype}:{rule_natural}" for rtype, rule_natural, _u in objects)
            keyed = {rule[1] for rule in entry["rules"]}
            for rtype, rule_natural, unit in objects:
                note = ""
                if f"{rtype}:{rule_natural}" not in keyed:
                    gone = sorted(t.name for t, key, direction, protocol, ports, _tokens in entry["rules"]
                                  if key not in live_keys and direction == _direction(unit)
                                  and protocol == unit["protocol"] and ports == unit["ports"])
                    if gone:  # a template rule on the same protocol and ports is gone: its source was changed
                        note = f"same protocol and ports as {', '.join(gone)}, which is missing from live"
                self.add(rtype, rule_natural, sg_rule_attributes(unit, gid), unit["rule_id"], default=partial, note=note)
            if not partial:
                as_rules.add(gid)
        if unkeyed or unknown_group:
            self.note("ec2: some standalone security group rule resources have values known only at apply time; "
                      "the live rules of the groups they may belong to are judged through the group, "
                      "and rules no template matches are not reported as unmanaged")
        return as_rules

    def read_s3(self) -> None:
        s3 = self.client("s3")
        buckets = sorted(str(b.get("Name")) for b in s3.list_buckets().get("Buckets") or [])
        self._progress(f"aws: s3, {len(buckets)} bucket(s)")
        calls = {
            "tagging": ("get_bucket_tagging", ()),
            "public_access_block": ("get_public_access_block", ("aws_s3_bucket_public_access_block",)),
            "encryption": ("get_bucket_encryption", ("aws_s3_bucket_server_side_encryption_configuration",)),
            "ownership_controls": ("get_bucket_ownership_controls", ("aws_s3_bucket_ownership_controls",)),
            "versioning": ("get_bucket_versioning", ("aws_s3_bucket_versioning",)),
            "policy": ("get_bucket_policy", ("aws_s3_bucket_policy",)),
            "acl": ("get_bucket_acl", ("aws_s3_bucket_acl",)),
            "logging": ("get_bucket_logging", ("aws_s3_bucket_logging",)),
        }
        for bucket in buckets:
            location, ok = self.try_call("s3", "bucket", lambda: s3.get_bucket_location(Bucket=bucket),
                                         absent=frozenset({"NoSuchBucket"}),
                                         keys=tuple(f"{t}:{bucket}" for t in S3_TYPES))
            if not ok or location is None:
                continue
            where = location.get("LocationConstraint") or "us-east-1"
            if {"EU": "eu-west-1"}.get(where, where) != self.region:
                continue  # another region's bucket: out of scope
            responses: dict[str, Any] = {}
            for name, (operation, types) in calls.items():
                response, ok = self.try_call("s3", "bucket", lambda op=operation: getattr(s3, op)(Bucket=bucket),
                                             absent=_S3_ABSENT, keys=tuple(f"{t}:{bucket}" for t in types))
                if ok:
                    responses[name] = response
            for rtype, attrs, default in s3_bucket_objects(bucket, responses):
                self.add(rtype, bucket, attrs, bucket, default)

    def read_iam(self) -> None:
        iam = self.client("iam")
        arn_prefix = f"arn:{self.partition}:iam::{self.account}:"
        for user in sorted(self.pages(iam, "list_users", "Users"), key=lambda u: str(u.get("UserName"))):
            name = str(user.get("UserName"))
            tags, ok = self.try_call("iam", "user", lambda: iam.list_user_tags(UserName=name),
                                     keys=(f"aws_iam_user:{name}",))
            attrs = {"name": name, "path": user.get("Path", "/"), "tags": _tags((tags or {}).get("Tags")) if ok else NOT_READ,
                     "arn": user.get("Arn"), "unique_id": user.get("UserId")}
            boundary = (user.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")
            if boundary:
                attrs["permissions_boundary"] = boundary
            self.add("aws_iam_user", name, {k: v for k, v in attrs.items() if v is not None}, name)
            listed, _ok = self.try_call("iam", "user", lambda: iam.list_access_keys(UserName=name),
                                        keys=(f"aws_iam_access_key:{name}", f"aws_iam_access_key:{name}#*"))
            metadata = sorted((listed or {}).get("AccessKeyMetadata") or [],
                              key=lambda k: (str(k.get("CreateDate")), str(k.get("AccessKeyId"))))
            for i, key in enumerate(metadata, start=1):
                natural = name if i == 1 else f"{name}#{i}"
                self.add("aws_iam_access_key", natural, {"user": name, "status": key.get("Status")},
                         str(key.get("AccessKeyId")))
            self.attachments("user", name, lambda: iam.list_attached_user_policies(UserName=name))
        for role in sorted(self.pages(iam, "list_roles", "Roles"), key=lambda r: str(r.get("RoleName"))):
            name = str(role.get("RoleName"))
            path = str(role.get("Path", "/"))
            attrs = {"name": name, "path": path, "description": role.get("Description"),
                     "assume_role_policy": _policy_text(role.get("AssumeRolePolicyDocument")),
                     "max_session_duration": role.get("MaxSessionDuration"), "arn": role.get("Arn"),
                     "permissions_boundary": (role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")}
            # service-linked roles and the IAM Identity Center (SSO) roles AWS manages
            linked = path.startswith(("/aws-service-role/", "/aws-reserved/"))
            self.add("aws_iam_role", name, {k: v for k, v in attrs.items() if v is not None}, name, default=linked)
            if linked:
                continue  # their policies are AWS's
            self.attachments("role", name, lambda: iam.list_attached_role_policies(RoleName=name))
        for policy in sorted(self.pages(iam, "list_policies", "Policies", Scope="Local"),
                             key=lambda p: str(p.get("Arn"))):
            name, arn = str(policy.get("PolicyName")), str(policy.get("Arn"))
            version, ok = self.try_call(
                "iam", "policy",
                lambda: iam.get_policy_version(PolicyArn=arn, VersionId=policy.get("DefaultVersionId")),
                keys=(f"aws_iam_policy:{name}",))
            attrs = {"name": name, "path": policy.get("Path", "/"), "description": policy.get("Description"),
                     "arn": arn}
            document = ((version or {}).get("PolicyVersion") or {}).get("Document")
            attrs["policy"] = _policy_text(document) if ok else NOT_READ
            self.add("aws_iam_policy", name, {k: v for k, v in attrs.items() if v is not None}, arn,
                     default=not arn.startswith(arn_prefix))

    def read_rds(self) -> None:
        rds = self.client("rds")
        for db in sorted(self.pages(rds, "describe_db_instances", "DBInstances"),
                         key=lambda d: str(d.get("DBInstanceIdentifier"))):
            attrs = db_instance_attributes(db)
            ident = str(attrs.get("identifier"))
            self.add("aws_db_instance", ident, attrs, ident)

    def read_kms(self) -> None:
        kms = self.client("kms")
        aliases: dict[str, list[str]] = {}
        for alias in self.pages(kms, "list_aliases", "Aliases"):
            name, target = alias.get("AliasName"), alias.get("TargetKeyId")
            if name and target and not str(name).startswith("alias/aws/"):
                aliases.setdefault(str(target), []).append(str(name))
        for entry in sorted(self.pages(kms, "list_keys", "Keys"), key=lambda k: str(k.get("KeyId"))):
            key_id = str(entry.get("KeyId"))
            described, ok = self.try_call("kms", "key", lambda: kms.describe_key(KeyId=key_id), keys=("aws_kms_key:*",))
            meta = (described or {}).get("KeyMetadata") or {}
            if not ok:
                continue
            if meta.get("KeyManager") != "CUSTOMER" or meta.get("KeyState") in ("PendingDeletion", "PendingReplicaDeletion"):
                continue  # AWS managed, or gone for Terraform
            spec = meta.get("KeySpec") or meta.get("CustomerMasterKeySpec") or "SYMMETRIC_DEFAULT"
            usage = meta.get("KeyUsage") or "ENCRYPT_DECRYPT"
            attrs: dict[str, Any] = {
                "description": meta.get("Description", ""), "key_usage": usage, "customer_master_key_spec": spec,
                "is_enabled": bool(meta.get("Enabled", False)), "multi_region": bool(meta.get("MultiRegion", False)),
                "arn": meta.get("Arn"), "key_id": key_id,
            }
            names = sorted(aliases.get(key_id, []))
            natural = names[0] if names else (attrs["description"] or key_id)
            if spec == "SYMMETRIC_DEFAULT" and usage == "ENCRYPT_DECRYPT" and not meta.get("CustomKeyStoreId"):
                rotation, ok = self.try_call("kms", "key", lambda: kms.get_key_rotation_status(KeyId=key_id),
                                             keys=(f"aws_kms_key:{natural}",))
                attrs["enable_key_rotation"] = bool((rotation or {}).get("KeyRotationEnabled", False)) if ok else NOT_READ
            else:
                attrs["enable_key_rotation"] = False
            policy, ok = self.try_call("kms", "key", lambda: kms.get_key_policy(KeyId=key_id, PolicyName="default"),
                                       keys=(f"aws_kms_key:{natural}",))
            attrs["policy"] = _policy_text((policy or {}).get("Policy")) if ok else NOT_READ
            tags, ok = self.try_call("kms", "key", lambda: kms.list_resource_tags(KeyId=key_id),
                                     keys=(f"aws_kms_key:{natural}",))
            attrs["tags"] = _tags((tags or {}).get("Tags")) if ok else NOT_READ
            if names:
                attrs["aliases"] = names
            self.add("aws_kms_key", natural, {k: v for k, v in attrs.items() if v is not None}, key_id)

    def read_cloudtrail(self) -> None:
        cloudtrail = self.client("cloudtrail")
        trails = cloudtrail.describe_trails(includeShadowTrails=False).get("trailList") or []
        for trail in sorted(trails, key=lambda t: str(t.get("Name"))):
            if trail.get("HomeRegion") not in (None, self.region):
                continue
            name = str(trail.get("Name"))
            status, ok = self.try_call("cloudtrail", "trail",
                                       lambda: cloudtrail.get_trail_status(Name=trail.get("TrailARN") or name),
                                       keys=(f"aws_cloudtrail:{name}",))
            attrs = trail_attributes(trail, status)
            if not ok:
                attrs["enable_logging"] = NOT_READ
            self.add("aws_cloudtrail", name, attrs, name)

    # ------------------------------------------------------------ result
    def finish(self) -> list[LiveObject]:
        objects: list[LiveObject] = []
        seen: Counter = Counter()
        for rtype, natural, attrs, native_id, default, note in self.records:
            key = f"{rtype}:{natural}"
            seen[key] += 1
            if seen[key] > 1:  # two live objects claim one key (KMS keys sharing a description)
                key, natural = f"{key}#{seen[key]}", f"{natural}#{seen[key]}"
            objects.append(LiveObject(
                source="aws", schema="terraform", type=rtype, key=key, address=f"{rtype}.{natural}",
                native_id=native_id, attributes=attrs, provenance=self.provenance, default=default, note=note,
            ))
        return sorted(objects, key=lambda o: (o.type, o.key))
