"""The one place drift values are made safe to show.

A value is hidden when its path is under a source-declared sensitive prefix
(plan ``*_sensitive`` masks, state ``sensitive_attributes``, Kubernetes
``Secret`` data), when a path part names a credential (password, secret,
token, private key, ...; references such as ``secretName`` or ``kms_key_id``
are not credentials), when it is the ``value`` of an env-style entry whose
``name`` names one, or when the secrets detectors find a secret in it (an
AWS key in an env var called ``FOO``).  Booleans, numbers and null stay
visible: they are not secrets and hiding them would hide the drift itself.
"""
from __future__ import annotations

import re
from typing import Any

from scanner.model import Selector

REDACTED = "[REDACTED]"
_CREDENTIAL = re.compile(r"(?i)passw|secret|token|private_?key|api_?key|access_?key|credential|connection_?string")
_REFERENCE = re.compile(r"(?i)(name|ref|arn|_?ids?|mode|policy|enabled|type|path|kind|selector|rotation.*|automount.*)$")
_MAX_SCAN = 4096


def credential_name(part: Any) -> bool:
    text = str(part)
    return bool(_CREDENTIAL.search(text)) and not _REFERENCE.search(text.split("=")[0] if "=" in text else text)


def _under(path: tuple, prefixes: tuple[tuple, ...]) -> bool:
    plain = tuple(p for p in path if not isinstance(p, Selector))
    return any(path[: len(p)] == p or plain[: len(p)] == p for p in prefixes)  # () hides everything


def redact(value: Any, path: tuple = (), sensitive: tuple[tuple, ...] = (), hidden: bool = False) -> Any:
    """``value`` (found at ``path``) with every secret in it replaced."""
    hidden = hidden or hidden_path(path, sensitive)
    if isinstance(value, dict):
        secret_entry = isinstance(value.get("name"), str) and credential_name(value["name"])
        return {k: redact(v, path + (k,), sensitive, hidden or (secret_entry and k == "value"))
                for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, path + (i,), sensitive, hidden) for i, v in enumerate(value)]
    if value is None or isinstance(value, bool):
        return value
    if hidden:
        return REDACTED
    if isinstance(value, str) and len(value) >= 8:
        return _mask_detected(value)
    return value


def _mask_detected(text: str) -> str:
    from scanner.secrets.engine import redact as mask_secrets

    if len(text) > _MAX_SCAN:
        return text[:_MAX_SCAN] + "…"
    return mask_secrets("drift-value.txt", text)


def hidden_path(path: tuple, sensitive: tuple[tuple, ...]) -> bool:
    """Whether anything at ``path`` must be shown redacted (for messages)."""
    return _under(path, sensitive) or any(credential_name(p) for p in path)
