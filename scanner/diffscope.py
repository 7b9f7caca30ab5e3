"""Diff-only gating: which lines changed since a git revision.

``changed_lines(base, root)`` runs ``git diff -U0 --find-renames <merge-base>``
against the working tree and returns, per file (relative to ``root``), the set
of added or modified line numbers. A new file has all its lines; a renamed file
only the lines that changed; untracked files count as new. git runs as a
subprocess with an argument list, never through a shell.
"""
from __future__ import annotations

import os
import re

from scanner.errors import UsageError
from scanner.gitutil import check_revision
from scanner.gitutil import git

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(?P<start>\d+)(?:,(?P<count>\d+))? @@")
def _git(cwd: str, *args: str) -> str:
    return git(cwd, *args, purpose="--diff-base")


def changed_lines(base: str, root: str) -> dict[str, set[int]]:
    check_revision(base, "--diff-base")
    top = _git(root, "rev-parse", "--show-toplevel").strip()
    try:
        merge_base = _git(root, "merge-base", base, "HEAD").strip() or base
    except UsageError:
        merge_base = base  # e.g. a shallow clone without the common ancestor
    diff = _git(top, "diff", "--no-color", "--no-ext-diff", "-U0", "--find-renames", merge_base, "--")
    out: dict[str, set[int]] = {}

    def rel(path_in_repo: str) -> str:
        return os.path.relpath(os.path.join(top, path_in_repo), root).replace(os.sep, "/")

    current: set[int] | None = None
    for line in diff.split("\n"):
        if line.startswith("+++ "):
            target = line[4:]
            current = out.setdefault(rel(target[2:]), set()) if target.startswith("b/") else None
        elif line.startswith("@@") and current is not None:
            match = _HUNK.match(line)
            if match:
                start, count = int(match.group("start")), int(match.group("count") or 1)
                current.update(range(start, start + count))
    for path in _git(top, "ls-files", "--others", "--exclude-standard", "-z").split("\0"):
        if path:
            out[rel(path)] = ALL_LINES
    return out


class _All(set):
    """Every line (an untracked file is new in full)."""

    def __contains__(self, item: object) -> bool:
        return True


ALL_LINES: set[int] = _All()
