"""zerodrift's own secret detectors, and the ids of detect-secrets' plugins.

A detector id is permanent (rules name it in ``types``). Our detectors cover
what detect-secrets 1.5 does not (fine-grained GitHub tokens, Google API keys,
Azure connection strings, AWS secret keys, Docker auths, npm tokens, password
assignments in YAML/.env/HCL/Dockerfile/Kubernetes env) or reports poorly
(detect-secrets' GitHub and GitLab plugins report only the token prefix).

Each detector is a regex whose group ``secret`` is the secret value; an
optional ``keys`` regex must match the assignment's key (for generic
assignments). Every pattern runs over the whole text, so a pattern may span lines.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from scanner.secrets.filters import decode_base64_text


@dataclass(frozen=True)
class Detector:
    id: str
    pattern: re.Pattern
    priority: int = 50  # higher wins when two detectors report one value
    validate: Callable[[str], bool] | None = None  # a second look at the value


def _d(id: str, pattern: str, priority: int = 50, flags: int = 0, validate: Callable[[str], bool] | None = None) -> Detector:
    return Detector(id, re.compile(pattern, flags), priority, validate)


def _is_basic_auth(value: str) -> bool:
    """A Docker config.json ``auth`` is base64 of ``user:password``."""
    decoded = decode_base64_text(value)
    if decoded is None:
        return False
    user, sep, password = decoded.partition(":")
    return bool(sep and user and password)


# Keys that name a credential in an assignment (password = ..., API_TOKEN: ...).
SECRET_KEY = r"[A-Za-z0-9_.-]*(?:passw(?:or)?d|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|auth[_-]?key|credential)[A-Za-z0-9_.-]*"
# Keys that look like a credential but name where it is, not what it is.
NOT_A_VALUE_KEY = re.compile(
    r"(?i)(?:file|path|dir|url|uri|name|names|id|ids|ref|env|var|arn|length|len|type|policy|rotation|ttl|expiry|expires"
    r"|enabled|required|min|max|count|version|prefix|suffix|header|param|field|key_?id|endpoint|model|store|manager|provider)$"
    r"|^(?:http_?tokens|secrets|existing_?secret\w*)$|tokeniz|secret_?name|secret_?ref"
)

OWN: tuple[Detector, ...] = (
    _d("github-token", r"\b(?P<secret>(?:gh[pousr]_[A-Za-z0-9]{36,255})|(?:github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}))\b", 90),
    _d("gitlab-token", r"\b(?P<secret>gl(?:pat|dt|ptt|rt|soat|ft|cbt|imt|agent)-[A-Za-z0-9_-]{20,})\b", 90),
    _d("google-api-key", r"\b(?P<secret>AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])", 90),
    _d("azure-connection-string", r"(?P<secret>DefaultEndpointsProtocol=https?;AccountName=[^;\s\"']+;AccountKey=[A-Za-z0-9+/]{40,}={0,2})", 95),
    _d("azure-storage-key", r"(?i)(?:account_?key|storage_?key|access_?key|AccountKey)[\"']?\s*[:=]\s*[\"']?(?P<secret>[A-Za-z0-9+/]{86}==)", 85),
    _d("aws-access-key-id", r"\b(?P<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b", 90),
    _d("aws-secret-access-key", r"(?i)(?:aws_?)?secret_?(?:access_?)?key[\"']?\s*[:=]\s*[\"']?(?P<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])", 90),
    _d("npm-token", r"(?:\b(?P<secret>npm_[A-Za-z0-9]{36})\b|_authToken\s*=\s*(?P<secret2>[A-Za-z0-9_.\-]{20,}))", 90),
    _d("slack-webhook", r"(?P<secret>https://hooks\.slack\.com/(?:services|workflows)/T[A-Z0-9]{6,}/[A-Z0-9/]{6,}[A-Za-z0-9]{12,})", 95),
    _d("stripe-key", r"\b(?P<secret>(?:sk|rk)_live_[A-Za-z0-9]{20,})\b", 90),
    _d("docker-auth", r"\"auth\"\s*:\s*\"(?P<secret>[A-Za-z0-9+/]{8,}={0,2})\"", 80, validate=_is_basic_auth),
    _d("database-url", r"\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|sqlserver|oracle)://[^\s:/@\"']*:(?P<secret>[^\s@/\"']{3,})@[^\s\"']+", 85),
    _d("slack-token", r"\b(?P<secret>xox[abposr]-(?:\d+-)+[A-Za-z0-9]{16,})\b", 90),
    # ADO.NET / JDBC style connection strings: ...;Password=...;
    _d("password-assignment", r"(?i)(?:^|[;\"'\s])(?:password|pwd)\s*=\s*(?P<secret>[^;\"'\s]{6,})(?=;|\"|'|\s|$)", 45),
    # Terraform: variable "db_password" { default = "..." }
    _d("password-assignment", r"(?s)variable\s+\"(?P<key>[^\"]*(?:passw|secret|token|api_?key)[^\"]*)\"\s*\{[^{}]*?\bdefault\s*=\s*\"(?P<secret>[^\"\s]{6,})\"", 45),
    # registry logins with the password on the command line
    _d("password-assignment", r"(?i)\b(?:docker|podman|nerdctl|helm|buildah)\s+(?:registry\s+)?login\b[^\n]*?\s(?:-p|--password)(?:=|\s+)(?P<quote>[\"']?)(?P<secret>[^\s\"'$]{6,})(?P=quote)", 60),
    # password/secret/token assignments: YAML/.env/HCL/Python/JS, Dockerfile ENV/ARG
    _d("password-assignment", r"(?im)^[ \t]*(?:export[ \t]+|ENV[ \t]+|ARG[ \t]+|-[ \t]+)?[\"']?(?P<key>" + SECRET_KEY + r")[\"']?[ \t]*(?::|=|[ \t](?=[\"']))[ \t]*(?P<quote>[\"']?)(?P<secret>[^\s\"'#,;]{6,})(?P=quote)[ \t]*(?:#.*)?,?[ \t]*\\?[ \t]*$", 40),
    # Kubernetes / compose env lists: "- name: DB_PASSWORD" then "value: ..."
    _d("password-assignment", r"(?im)^[ \t]*-?[ \t]*name:[ \t]*[\"']?(?P<key>" + SECRET_KEY + r")[\"']?[ \t]*\n[ \t]*value:[ \t]*(?P<quote>[\"']?)(?P<secret>[^\s\"'#]{6,})(?P=quote)[ \t]*$", 40),
)

# detect-secrets' secret_type -> our detector id (None: not used)
DETECT_SECRETS_TYPES: dict[str, str | None] = {
    "AWS Access Key": "aws-access-key-id",
    "Artifactory Credentials": "artifactory-token",
    "Azure Storage Account access key": "azure-storage-key",
    "Base64 High Entropy String": "high-entropy-string",
    "Basic Auth Credentials": "database-url",
    "Cloudant Credentials": "cloudant-credentials",
    "Discord Bot Token": "discord-token",
    "GitHub Token": None,  # reports only the prefix; our github-token detector reports the token
    "GitLab Token": None,  # likewise
    "Hex High Entropy String": "high-entropy-string",
    "Public IP (ipv4)": None,  # not a secret
    "IBM Cloud IAM Key": "ibm-cloud-key",
    "IBM COS HMAC Credentials": "ibm-cloud-key",
    "JSON Web Token": "jwt",
    "Secret Keyword": "password-assignment",
    "Mailchimp Access Key": "mailchimp-key",
    "NPM tokens": "npm-token",
    "OpenAI Token": "openai-key",
    "Private Key": "private-key",
    "PyPI Token": "pypi-token",
    "SendGrid API Key": "sendgrid-key",
    "Slack Token": "slack-token",
    "SoftLayer Credentials": "softlayer-key",
    "Square OAuth Secret": "square-oauth-secret",
    "Stripe Access Key": "stripe-key",
    "Telegram Bot Token": "telegram-token",
    "Twilio API Key": "twilio-key",
}

# priorities of detect-secrets findings (generic ones lose to any specific one)
DETECT_SECRETS_PRIORITY = {"high-entropy-string": 10, "password-assignment": 30}
DEFAULT_PRIORITY = 70
