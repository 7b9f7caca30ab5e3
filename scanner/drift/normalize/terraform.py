"""Canonical forms for Terraform-shaped attributes (plan, state, live AWS, HCL).

* set-typed attributes (security-group rules, CIDR lists, subnet ids, ...)
  compare as multisets -- the built-in list below, as providers mark them in
  their schemas;
* policy documents compare as parsed JSON with ``Action``/``Resource``/
  ``Principal`` single strings equal to one-element lists, keys sorted;
* literals compare as Terraform converts them (``literal_equal``);
* attributes Terraform computes without anyone changing anything
  (``tags_all``, timestamps, etags) are not drift.
"""
from __future__ import annotations

import json
import re
from typing import Any

from scanner.drift.compare import DiffSpec
from scanner.model import Unknown

# Terraform-computed attributes that change without anyone changing anything
COMPUTED_NOISE = frozenset({"tags_all", "last_modified", "etag", "version_id", "latest_version", "timeouts"})
# attributes provider schemas mark sensitive: a state file does not always list
# them in sensitive_attributes, and a plan mask may be missing for old providers
PROVIDER_SENSITIVE: dict[str, tuple[tuple, ...]] = {
    "aws_ssm_parameter": (("value",), ("insecure_value",)),
    "aws_secretsmanager_secret_version": (("secret_string",), ("secret_binary",)),
    "aws_db_instance": (("password",),),
    "aws_rds_cluster": (("master_password",),),
    "aws_docdb_cluster": (("master_password",),),
    "aws_redshift_cluster": (("master_password",),),
    "aws_neptune_cluster": (("master_password",),),
    "aws_elasticache_replication_group": (("auth_token",),),
    "aws_elasticache_user": (("passwords",),),
    "aws_mq_broker": (("user",),),
    "aws_iam_access_key": (("secret",), ("ses_smtp_password_v4",), ("encrypted_secret",)),
    "aws_iam_user_login_profile": (("password",), ("encrypted_password",)),
    "aws_kms_ciphertext": (("plaintext",),),
    "aws_lightsail_key_pair": (("private_key",), ("encrypted_private_key",)),
    "random_password": (("result",), ("bcrypt_hash",)),
    "random_string": (("result",),),
    "tls_private_key": (("private_key_pem",), ("private_key_openssh",), ("private_key_pem_pkcs8",)),
    "kubernetes_secret": (("data",), ("binary_data",)),
    "kubernetes_secret_v1": (("data",), ("binary_data",)),
    "azurerm_key_vault_secret": (("value",),),
    "azurerm_storage_account": (("primary_access_key",), ("secondary_access_key",), ("primary_connection_string",),
                                ("secondary_connection_string",)),
    "google_secret_manager_secret_version": (("secret_data",),),
    "google_service_account_key": (("private_key",),),
    "github_actions_secret": (("plaintext_value",), ("encrypted_value",)),
    "vault_generic_secret": (("data_json",), ("data",)),
}
# types whose id is itself the secret value
SECRET_IDS = frozenset({"random_password", "random_string"})

# set-typed attributes compared without order
SET_ATTRIBUTES = frozenset({
    "ingress", "egress", "cidr_blocks", "ipv6_cidr_blocks", "security_groups", "prefix_list_ids",
    "subnet_ids", "vpc_security_group_ids", "security_group_ids", "rule", "grant", "cors_rule",
    "event_selector", "lifecycle_rule", "statement", "actions", "resources", "principals",
})
POLICY_ATTRIBUTES = frozenset({"policy", "assume_role_policy", "inline_policy", "access_policies", "key_policy"})
_LISTY = ("Action", "NotAction", "Resource", "NotResource")


def canonical_policy(value: Any) -> Any:
    """A policy document (JSON text or parsed) in a form where equal policies
    are equal values; anything that is not JSON comes back unchanged."""
    doc = value
    if isinstance(value, str):
        try:
            doc = json.loads(value)
        except ValueError:
            return value
    if not isinstance(doc, dict):
        return doc
    return _canon_doc(doc)


def _canon_doc(node: Any, key: str = "") -> Any:
    if isinstance(node, dict):
        return {k: _canon_doc(v, k) for k, v in sorted(node.items())}
    if isinstance(node, list):
        items = [_canon_doc(v) for v in node]
        if key in _LISTY or key in ("AWS", "Service", "Federated", "CanonicalUser") or key == "Statement":
            items = sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
        return items[0] if len(items) == 1 and key != "Statement" else items
    return node


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def literal_equal(path: tuple, desired: Any, live: Any) -> bool | None:
    """Equal forms of one value as a template writes it and as a provider
    returns it: policies as parsed documents, ``jsonencode(...)`` against JSON
    text, ``"443"`` against 443 and ``"true"`` against true (Terraform converts
    literals to the attribute's type). None: compare with ``==``."""
    if path and path[-1] in POLICY_ATTRIBUTES:
        return canonical_policy(desired) == canonical_policy(live)
    if isinstance(desired, str) and isinstance(live, str):
        if desired != live and desired.lstrip()[:1] in ("[", "{") and live.lstrip()[:1] in ("[", "{"):
            try:
                return json.loads(desired) == json.loads(live)
            except (ValueError, RecursionError):
                return None
        return None
    if isinstance(desired, str) and isinstance(live, bool):
        return desired.strip().lower() == ("true" if live else "false")
    if isinstance(desired, str) and isinstance(live, (int, float)) and _NUMBER.match(desired.strip()):
        return float(desired) == live
    return None


_INSTANCE_KEY = re.compile(r'\[(?:\d+|"(?:[^"\\]|\\.)*")\]')


def strip_instance_keys(address: str) -> str:
    """``module.a["x]y"].aws_s3_bucket.b[0]`` -> ``module.a.aws_s3_bucket.b`` (keys may hold ``]``)."""
    return _INSTANCE_KEY.sub("", address)


def has_instance_keys(address: str) -> bool:
    return bool(_INSTANCE_KEY.search(address))


def ignored_attributes(template: dict) -> set[str] | None:
    """Top-level attributes named in ``lifecycle { ignore_changes = [...] }``;
    None for ``ignore_changes = all``."""
    out: set[str] = set()
    lifecycle = template.get("lifecycle")
    blocks = lifecycle if isinstance(lifecycle, list) else [lifecycle]
    for block in blocks:
        if not isinstance(block, dict):
            continue
        entries = block.get("ignore_changes")
        if isinstance(entries, Unknown) and entries.expr.strip() == "all" or entries == "all":
            return None
        for entry in entries if isinstance(entries, list) else []:
            text = entry.expr if isinstance(entry, Unknown) else entry if isinstance(entry, str) else ""
            head = re.split(r"[.\[]", text.strip().strip('"'), maxsplit=1)[0]
            if head:
                out.add(head)
    return out


# provider defaults whose change in live weakens security, filled in where the
# template leaves the attribute out (a subset compare would not see the change)
SECURITY_DEFAULTS: dict[str, dict[str, Any]] = {
    "aws_cloudtrail": {"enable_logging": True, "include_global_service_events": True},
    "aws_kms_key": {"is_enabled": True},
    "aws_db_instance": {"publicly_accessible": False},
    "aws_rds_cluster_instance": {"publicly_accessible": False},
    "aws_iam_access_key": {"status": "Active"},
}


def with_security_defaults(rtype: str, attributes: dict) -> dict:
    defaults = SECURITY_DEFAULTS.get(rtype)
    if not defaults:
        return attributes
    return {**{k: v for k, v in defaults.items() if k not in attributes}, **attributes}


def strip_noise(value: Any) -> Any:
    """``value`` without computed noise at any depth."""
    if isinstance(value, dict):
        return {k: strip_noise(v) for k, v in value.items() if k not in COMPUTED_NOISE}
    if isinstance(value, list):
        return [strip_noise(v) for v in value]
    return value


def _is_set(path: tuple) -> bool:
    return bool(path) and path[-1] in SET_ATTRIBUTES


# a plan's before/after: full comparison; a template against state or live
# cloud: only what the template sets (computed attributes are left out of HCL)
PLAN_SPEC = DiffSpec(multiset=_is_set, equal=literal_equal)
TEMPLATE_SPEC = DiffSpec(multiset=_is_set, equal=literal_equal, subset=True)
