"""False-positive filters for secret findings: plain predicate functions.

Each returns True when a candidate is *not* a secret. ``FILE_FILTERS`` run
once per file (by path), ``VALUE_FILTERS`` per candidate value (with the line
for context). They are deliberately explainable rules, each tested with
examples that must and must not be reported (tests/secrets/test_filters.py).
"""
from __future__ import annotations

import base64
import posixpath
import re
from collections.abc import Callable

# --- files --------------------------------------------------------------------
LOCK_FILES = frozenset({
    "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "poetry.lock", "pipfile.lock",
    "cargo.lock", "composer.lock", "gemfile.lock", "go.sum", "mix.lock", "packages.lock.json", "pubspec.lock",
    ".terraform.lock.hcl", "flake.lock", "uv.lock", "bun.lockb", "podfile.lock",
})
CHECKSUM_NAMES = re.compile(r"(?i)^(?:sha(?:1|224|256|384|512)sums?|md5sums?|checksums?)(?:\.txt)?$|\.(?:sha1|sha256|sha512|md5|sum|asc|sig)$")


def is_lock_file(path: str) -> bool:
    """Dependency lock files hold integrity hashes, never credentials."""
    return posixpath.basename(path).lower() in LOCK_FILES


def is_checksum_file(path: str) -> bool:
    """SHA256SUMS, *.sha256, *.sig: hashes and signatures by definition."""
    return bool(CHECKSUM_NAMES.search(posixpath.basename(path)))


BASELINE_NAMES = frozenset({".zerodrift-baseline.json", ".secrets.baseline"})


def is_baseline_file(path: str) -> bool:
    """zerodrift's and detect-secrets' baselines hold hashes of accepted findings."""
    return posixpath.basename(path) in BASELINE_NAMES


def is_baseline_text(text: str) -> bool:
    """A baseline under another name, told by its content."""
    head = text[:2000]
    return head.lstrip().startswith("{") and '"fingerprint"' in head and ('"zerodrift"' in head or '"generated_at"' in head)


FILE_FILTERS: tuple[Callable[[str], bool], ...] = (is_lock_file, is_checksum_file, is_baseline_file)

# --- values -------------------------------------------------------------------
_PLACEHOLDER = re.compile(
    r"(?ix)^(?:"
    r"<[^<>]+>|\[[^\[\]]+\]|\{[^{}]*\}|\{\{.*\}\}|\$\{.*\}|\$\([^)]*\)|%\([^)]*\)s|%[A-Za-z_]+%|\$[A-Za-z_][A-Za-z0-9_]*"
    r"|(?:change[_-]?me|changeit|replace[_-]?me|your[_-]?\w*|my[_-]?\w*(?:password|secret|token|key)\w*|example\w*|sample\w*|dummy\w*|fake\w*"
    r"|placeholder\w*|redacted|removed|hidden|secret|password|passw0rd|token|none|null|nil|undefined|true|false|todo|tbd|fixme|test|testing"
    r"|xx+|\*{3,}|\.{3,}|-+|_+|0+|1234\d*|abc(?:123|def)?|foo(?:bar)?|bar|qwerty\d*)"
    r")$"
)


_FILLER = re.compile(r"(.)\1{7,}|<[^>]*>|^<|(?i:your[-_])|…|(?i:redacted)|^[a-z]+(?:[-_][a-z]+)*[-_](?:secret|password|token|key)s?(?:[-_][a-z]+)*$|(?i:^(?:optional|required|inherit|enabled|disabled|none|auto|default)$)")


def is_placeholder(value: str, line: str = "") -> bool:
    """<your-token>, ${DB_PASSWORD}, {{ .Values.x }}, changeme, ghp_xxxxxxxx..., REDACTED ..."""
    stripped = value.strip("'\"`")
    return (bool(_PLACEHOLDER.match(stripped)) or "{{" in stripped or "${" in stripped or stripped.startswith("$(")
            or bool(_FILLER.search(stripped)))


_LOOKUP = re.compile(r"(?:os\.environ|os\.getenv|getenv\(|process\.env|System\.getenv|ENV\[|env\(|secretKeyRef|valueFrom|vault:|ssm:|secretsmanager|\{\{\s*resolve:|var\.|local\.|data\.|module\.|self\.|this\.|config\.|settings\.|params\.|args\.|props\.)")


def is_env_lookup(value: str, line: str = "") -> bool:
    """The value is read from somewhere (environment, secret manager, another variable)."""
    return bool(_LOOKUP.search(value)) or "(" in value or (bool(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+", value)) and not re.search(r"\d", value))


_HEX = re.compile(r"^[0-9a-f]+$|^[0-9A-F]+$")


def is_git_sha(value: str, line: str = "") -> bool:
    """A 40-hex commit id (terragoat tags every resource with git_commit = "...")."""
    return len(value) == 40 and bool(_HEX.match(value)) and not re.search(r"(?i)secret|passw|token|api_?key", line)


_HASH_CONTEXT = re.compile(r"(?i)sha\d{0,3}|digest|checksum|integrity|hash|md5|etag|fingerprint")


def is_image_digest(value: str, line: str = "") -> bool:
    """sha256:<64 hex> image digests, and 64/128-hex values on a line that says it is a hash."""
    bare = value.split(":", 1)[-1]
    if re.fullmatch(r"sha(?:1|256|384|512)-[A-Za-z0-9+/]+={0,2}", value):
        return True  # a Subresource Integrity hash (lock files, <script integrity>)
    if re.fullmatch(r"[0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64}|[0-9a-fA-F]{128}", bare):
        return bool(_HASH_CONTEXT.search(line)) and not re.search(r"(?i)secret|passw|token|api_?key|private", line)
    return "sha256:" in line and bare in line.split("sha256:", 1)[-1]


_UUID = re.compile(r"(?i)^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def is_uuid(value: str, line: str = "") -> bool:
    """A UUID identifies something; except as an npm auth token, which uses that format."""
    return bool(_UUID.match(value)) and "_authToken" not in line


# keys and tokens published in vendors' documentation as examples
DOCUMENTED_EXAMPLES = frozenset({
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    "AKIAI44QH8DHBEXAMPLE",
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
    "pk_test_TYooMQauvdEDq54NiTphI7jx",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
})


def is_documented_example(value: str, line: str = "") -> bool:
    """AWS's AKIAIOSFODNN7EXAMPLE, Stripe's docs test key, jwt.io's sample token, Azurite's key,
    also when a detector captured part of one or a string containing one."""
    if value in DOCUMENTED_EXAMPLES or value.upper().endswith("EXAMPLE") or "EXAMPLEKEY" in value:
        return True
    return any((len(value) >= 30 and example.startswith(value)) or example in value for example in DOCUMENTED_EXAMPLES)


def is_low_information(value: str, line: str = "") -> bool:
    """Runs of one character, or an ascending sequence such as abcdef/123456."""
    if len(set(value)) <= 2:
        return True
    lowered = value.lower()
    return lowered in "abcdefghijklmnopqrstuvwxyz0123456789" or lowered in "0123456789abcdef"


def decode_base64_text(value: str) -> str | None:
    """``value`` decoded as base64 (padding optional) into UTF-8 text, or None."""
    try:
        return base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None


def is_encoded_text(value: str, line: str = "") -> bool:
    """Base64 of ordinary prose ("Hello, world! ...") is high-entropy but not a secret."""
    if len(value) < 16 or " " in value:
        return False
    decoded = decode_base64_text(value)
    if decoded is None:
        return False
    words = decoded.split()
    letters = sum(ch.isalpha() or ch in " ,.!?'-" for ch in decoded)
    return len(words) >= 3 and letters >= 0.85 * len(decoded)


def is_twilio_account_sid(value: str, line: str = "") -> bool:
    """A Twilio account SID (AC + 32 hex) names an account; the auth token is the secret."""
    return bool(re.fullmatch(r"AC[0-9a-f]{32}", value))


VALUE_FILTERS: tuple[Callable[[str, str], bool], ...] = (
    is_encoded_text,
    is_twilio_account_sid,
    is_placeholder,
    is_env_lookup,
    is_git_sha,
    is_image_digest,
    is_uuid,
    is_documented_example,
    is_low_information,
)

# assignments in these files need a quoted value: unquoted, it is a variable
CODE_SUFFIXES = (".py", ".js", ".jsx", ".ts", ".tsx", ".go", ".java", ".kt", ".rb", ".php", ".cs", ".rs", ".swift", ".scala", ".tf", ".hcl", ".groovy", ".c", ".cc", ".cpp", ".h")


def is_unquoted_code_reference(value: str, line: str, path: str) -> bool:
    """``password = get_password`` in code is a variable; ``password: hunter2`` in YAML is a literal."""
    if not path.lower().endswith(CODE_SUFFIXES):
        return False
    return not re.search(r"[\"'`]" + re.escape(value) + r"[\"'`]", line)
