"""The next step for each drift finding (shared/docs/drift.md section 9).

Terraform: revert with ``terraform apply``; accept a live value by editing
the template (never offered for compliance drift); an ``import`` block for an
unmanaged resource; a ``removed`` block when a deletion was intended.
Kubernetes: ``kubectl apply``/``replace`` of the manifest, and for fields that
exist only in live (which ``kubectl apply`` does not remove) an RFC 6902 JSON
patch. Values in a remediation are redacted like everywhere else.
"""
from __future__ import annotations

import json
import re
from typing import Any

from scanner.drift.model import ADDED_IN_LIVE
from scanner.drift.model import CHANGED
from scanner.drift.model import COMPLIANCE
from scanner.drift.model import LIVE_STRICTER
from scanner.drift.model import MISSING
from scanner.drift.model import REMOVED_IN_LIVE
from scanner.drift.model import UNMANAGED
from scanner.drift.model import k8s_address_parts
from scanner.drift.normalize.terraform import has_instance_keys
from scanner.drift.redact import contains_redaction

# Terraform import ids per type: which live attribute `terraform import` wants
IMPORT_ID = {
    "aws_s3_bucket": "bucket", "aws_s3_bucket_public_access_block": "bucket",
    "aws_s3_bucket_server_side_encryption_configuration": "bucket", "aws_s3_bucket_versioning": "bucket",
    "aws_s3_bucket_policy": "bucket", "aws_s3_bucket_acl": "bucket", "aws_s3_bucket_ownership_controls": "bucket",
    "aws_s3_bucket_logging": "bucket", "aws_iam_user": "name", "aws_iam_role": "name", "aws_iam_policy": "arn",
    "aws_db_instance": "identifier", "aws_cloudtrail": "name", "aws_kms_key": "key_id", "aws_security_group": "id",
}
_NOT_IMPORTABLE = {"aws_iam_access_key": "access keys cannot be imported: delete it, or create a managed one and rotate"}


def _tf_name(text: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_]", "_", text).strip("_") or "imported"
    return name if not name[0].isdigit() else f"r_{name}"


def _value(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _stop_managing(address: str) -> str:
    """A removed block only takes a whole resource outside module instances;
    one instance (count/for_each, or inside a module instance) needs state rm."""
    if has_instance_keys(address):
        return f"terraform state rm '{address}'"
    return f"a removed {{ from = {address}  lifecycle {{ destroy = false }} }} block (or terraform state rm '{address}')"


def terraform(drift: dict, live: Any, template_file: str, line: int, plan: bool, taken: frozenset[str] = frozenset()) -> str:
    kind, address = drift["kind"], drift["address"]
    if kind == UNMANAGED:
        if drift["source"] == "terraform-state":
            return (f"{address} is in the state but no template declares it: the next terraform apply destroys it. "
                    f"Add its resource block back, or stop managing it with {_stop_managing(address)}.")
        rtype = drift["type"]
        if rtype in _NOT_IMPORTABLE:
            return _NOT_IMPORTABLE[rtype] + "."
        attr = IMPORT_ID.get(rtype, "id")
        import_id = (live or {}).get(attr) if isinstance(live, dict) else None
        import_id = import_id or drift.get("native_id") or "<id>"
        name = _tf_name(str((live or {}).get("name") or (live or {}).get("bucket") or import_id)) if isinstance(live, dict) else "imported"
        while f"{rtype}.{name}" in taken:  # never import onto an address the templates already use
            name += "_unmanaged"
        return (f'Bring it under management: import {{ to = {rtype}.{name}  id = "{import_id}" }}, then '
                f"terraform plan -generate-config-out=generated.tf and review generated.tf; or delete it if nobody owns it.")
    if kind == MISSING:
        return (f"terraform apply re-creates {address}. If the deletion was intended, remove it from {template_file} "
                f"or stop managing it with {_stop_managing(address)}.")
    if kind == LIVE_STRICTER:
        return f"Port the live fix into {template_file}:{line}, or the next terraform apply reverts it."
    revert = "terraform apply reverts live to the templates (check terraform plan first)"
    if plan:
        revert = "terraform apply reverts live to the last applied configuration (terraform plan shows the revert)"
    if kind == COMPLIANCE:
        return f"Revert it: {revert}; then find who changed it in the cloud audit log."
    return f"Revert: {revert}{accept_hint(drift, template_file, line)}."


def accept_hint(drift: dict, template_file: str, line: int) -> str:
    """How to keep a live value instead of reverting it: only for a literal
    top-level Terraform attribute whose value may be shown; the pipeline drops
    it when the same object has compliance drift (never accept that)."""
    shown = drift.get("live_shown")
    if drift["source"] == "kubernetes" or drift["kind"] not in (CHANGED, ADDED_IN_LIVE) or len(drift["path_parts"]) != 1:
        return ""
    if not isinstance(shown, (str, int, float, bool)) or contains_redaction(shown):
        return ""
    return f"; to keep the live value, set {drift['path']} = {_value(shown)} in {template_file}:{line}, then terraform apply -refresh-only"


def kubernetes(drift: dict, live: Any, template_file: str, line: int) -> str:
    kind, address = drift["kind"], drift["address"]
    _, k8s_kind, namespace, name = k8s_address_parts(address)
    ns = f" -n {namespace}" if namespace else ""
    ref = f"{k8s_kind.lower()} {name}{ns}"
    if kind == UNMANAGED:
        return (f"Commit it (kubectl get {ref} -o yaml, minus status and server fields, into the manifests) "
                f"or delete it: kubectl delete {ref}.")
    if kind == MISSING:
        return f"kubectl apply -f {template_file} re-creates it; if the deletion was intended, remove it from {template_file}."
    if kind == LIVE_STRICTER:
        return f"Port the live fix into {template_file}:{line}, or the next kubectl apply reverts it."
    pointer = drift.get("pointer") or ""
    if kind == ADDED_IN_LIVE and pointer:
        patch = _value([{"op": "remove", "path": pointer}])
        return (f"kubectl apply does not remove fields that exist only in live: kubectl patch {ref} --type=json -p '{patch}', "
                f"or set the safe value explicitly in {template_file} and kubectl replace -f {template_file}.")
    if kind == CHANGED and pointer and drift.get("desired_shown") is not None and not contains_redaction(drift["desired_shown"]):
        patch = _value([{"op": "replace", "path": pointer, "value": drift["desired_shown"]}])
        return f"kubectl apply -f {template_file} (preview with kubectl diff), or kubectl patch {ref} --type=json -p '{patch}'."
    if kind == REMOVED_IN_LIVE:
        return f"kubectl apply -f {template_file} restores it (preview with kubectl diff)."
    return f"kubectl apply -f {template_file} (preview with kubectl diff); kubectl replace -f {template_file} also drops fields added in live."


def remediation(drift: dict, live: Any, template_file: str, line: int, taken: frozenset[str] = frozenset()) -> str:
    """``taken``: addresses the templates declare (an import must not reuse one)."""
    if drift["source"] == "kubernetes":
        return kubernetes(drift, live, template_file, line)
    return terraform(drift, live, template_file, line, plan=drift["source"] == "terraform-plan", taken=taken)
