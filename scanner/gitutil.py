"""Running git for zerodrift (diff gating, secrets history): an argument list,
never a shell, and failures as one-line usage errors."""
from __future__ import annotations

import re
import subprocess

from scanner.errors import UsageError

_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/@{}~^-]*$")


def check_revision(value: str, option: str) -> None:
    """Refuse anything that is not plainly a revision (no option injection)."""
    if not _REF.match(value) or value.startswith("-"):
        raise UsageError(f"{option}: not a git revision: {value!r}")


def git(cwd: str, *args: str, purpose: str = "git") -> str:
    try:
        proc = subprocess.run(["git", "-C", cwd, *args], capture_output=True, text=True, errors="replace", check=False)
    except FileNotFoundError:
        raise UsageError(f"{purpose} needs git, which is not installed") from None
    if proc.returncode != 0:
        detail = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"
        raise UsageError(f"{purpose}: git {args[0]} failed: {detail}")
    return proc.stdout
