"""The one place drift values are made safe to show.

A value is hidden when

* its path is under a source-declared sensitive prefix (plan ``*_sensitive``
  masks, state ``sensitive_attributes``, Kubernetes ``Secret`` data, the
  built-in table of provider-sensitive attributes); list positions are
  wildcards, so a mask on ``ingress[0].description`` also hides that field of
  a set element reported without its position;
* a path part names a credential (password, passwd, pwd, ``*_PASS``, secret,
  token, private key, API/access key, credential, connection string), where
  references to secrets (``secretName``, ``secretKeyRef``, ``kms_key_id``,
  ``http_tokens``, a Kubernetes ``secret`` volume source) are not credentials;
* it is the ``value`` of an env-style entry whose ``name`` names a credential,
  or any value reached through a ``[name=DB_PASSWORD]`` selector;

and inside every remaining string, a PEM private key block, a ``password=…``
style assignment, and anything the secrets detectors recognize are masked,
whatever the length of the string. Booleans and null stay visible: they are
not secrets, and hiding them would hide the drift itself.
"""
from __future__ import annotations

import re
from typing import Any

from scanner.model import Selector

REDACTED = "[REDACTED]"
_CREDENTIAL = re.compile(
    r"(?i)passw|passwd|pwd|(?:^|[_.\-])pass(?:$|[_.\-])|secret|token|private_?key|api_?key|access_?key|credential"
    r"|connection_?string|auth_?key|signing_?key|client_?key|bearer")
# names that only refer to a secret, or that merely contain a credential word
_REFERENCE = re.compile(
    r"(?i)(name|names|ref|arn|_?ids?|mode|policy|enabled|type|path|kind|selector|rotation.*|automount.*|version|versions"
    r"|http_tokens|expiration\w*|ttl|length|count|days|period|url|uri|endpoint|audience|issuer)$|secretkeyref|secretref|imagepullsecrets"
    r"|serviceaccounttoken|tokenrequests")
# a Kubernetes ``secret:`` volume source (secretName, items, ...) names a Secret, it holds none
_SECRET_VOLUME_FIELDS = frozenset({"secretName", "items", "defaultMode", "optional"})
_PRIVATE_KEY = re.compile(r"-----BEGIN[A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----.*?(-----END[A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|\Z)", re.S)
_ASSIGNMENT = re.compile(
    r"(?i)(\b[\w.\-]*(?:passw|pwd|secret|token|private_?key|api_?key|access_?key|credential)[\w.\-]*\b[\"']?\s*[:=]\s*[\"']?)"
    r"([^\s\"',;&]{3,})")
MAX_SCAN = 1 << 20  # a longer string is not shown at all


def credential_name(part: Any) -> bool:
    """Whether a path part (a key, or a ``[name=VALUE]`` selector) names a credential."""
    if isinstance(part, Selector):
        return any(credential_name(v) for v in part.fields().values())
    text = str(part)
    return bool(_CREDENTIAL.search(text)) and not _REFERENCE.search(text)


def _plain(path: tuple) -> tuple:
    """``path`` with list positions and selectors left out."""
    return tuple(p for p in path if isinstance(p, str) and not isinstance(p, Selector))


def _under(path: tuple, prefixes: tuple[tuple, ...]) -> bool:
    plain = _plain(path)
    for prefix in prefixes:
        if path[: len(prefix)] == prefix:
            return True  # () hides everything
        want = _plain(prefix)
        if want and plain[: len(want)] == want:
            return True
    return False


def hidden_path(path: tuple, sensitive: tuple[tuple, ...]) -> bool:
    """Whether anything at ``path`` must be shown redacted (also for messages)."""
    if _under(path, sensitive):
        return True
    for i, part in enumerate(path):
        if part == "secret" and i + 1 < len(path) and path[i + 1] in _SECRET_VOLUME_FIELDS:
            continue
        if credential_name(part):
            return True
    return False


def redact(value: Any, path: tuple = (), sensitive: tuple[tuple, ...] = (), hidden: bool = False) -> Any:
    """``value`` (found at ``path``) with every secret in it replaced."""
    hidden = hidden or hidden_path(path, sensitive)
    if isinstance(value, dict):
        secret_entry = isinstance(value.get("name"), str) and credential_name(value["name"])
        return {k: redact(v, path + (k,), sensitive, hidden or (secret_entry and k in ("value", "values")))
                for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, path + (i,), sensitive, hidden) for i, v in enumerate(value)]
    if value is None or isinstance(value, bool):
        return value
    if hidden:
        return REDACTED
    if isinstance(value, str) and len(value) >= 8:
        return mask_text(value)
    return value


def mask_text(text: str) -> str:
    """``text`` with private keys, credential assignments and detected secrets masked."""
    if len(text) > MAX_SCAN:
        return REDACTED
    text = _PRIVATE_KEY.sub(REDACTED, text)
    text = _ASSIGNMENT.sub(lambda m: m.group(1) + REDACTED, text)
    from scanner.secrets.engine import redact as mask_secrets

    return mask_secrets("drift-value.txt", text)


def contains_redaction(value: Any) -> bool:
    if isinstance(value, dict):
        return any(contains_redaction(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_redaction(v) for v in value)
    return isinstance(value, str) and REDACTED in value
