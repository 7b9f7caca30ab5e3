"""Secrets in git history: where each one was introduced, and whether HEAD still has it.

Reads ``git log -p -U0`` (added lines only) oldest first, so the first commit
that adds a secret is the one reported; then checks the file at HEAD for the
same secret (by hash). git runs as a subprocess with an argument list, never
through a shell; nothing is fetched.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from scanner.errors import UsageError
from scanner.gitutil import check_revision
from scanner.gitutil import git
from scanner.secrets.engine import SecretHit
from scanner.secrets.engine import scan_text

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(?P<start>\d+)(?:,\d+)? @@")


@dataclass(frozen=True)
class Introduced:
    commit: str
    date: str
    author: str
    file: str
    line: int
    hit: SecretHit
    at_head: bool


def _git(repo: str, *args: str) -> str:
    return git(repo, *args, purpose="secrets history")


def _added_lines(log: str) -> Iterator[tuple[str, str, str, str, list[tuple[int, str]]]]:
    """(commit, date, author, file, [(line, text)]) per file of each commit."""
    commit = date = author = ""
    file: str | None = None
    added: list[tuple[int, str]] = []
    next_line = 0
    for raw in log.split("\n"):
        if raw.startswith("\x00"):
            if file is not None and added:
                yield commit, date, author, file, added
            _, commit, author, date = (raw.split("\x00") + ["", "", "", ""])[:4]
            file, added = None, []
        elif raw.startswith("+++ "):
            if file is not None and added:
                yield commit, date, author, file, added
            path = raw[4:]
            file = path[2:] if path.startswith("b/") else None  # /dev/null: deleted
            added = []
        elif raw.startswith("@@"):
            match = _HUNK.match(raw)
            next_line = int(match.group("start")) if match else 0
        elif raw.startswith("+") and file is not None:
            added.append((next_line, raw[1:]))
            next_line += 1
    if file is not None and added:
        yield commit, date, author, file, added


def scan_history(repo: str, since: str | None = None, max_commits: int | None = None) -> list[Introduced]:
    if since is not None:
        check_revision(since, "--since")
    args = ["log", "--reverse", "--no-color", "--no-ext-diff", "--no-renames", "-p", "-U0", "--format=%x00%H%x00%an%x00%aI"]
    if max_commits:
        args.append(f"--max-count={max_commits}")
    args.append(f"{since}..HEAD" if since else "HEAD")
    args.append("--")
    log = _git(repo, *args)
    first: dict[tuple[str, str], Introduced] = {}
    for commit, date, author, file, added in _added_lines(log):
        # scan the added lines as one text; map its line numbers back to the file's
        text = "\n".join(line for _, line in added)
        for hit in scan_text(file, text):
            real_line = added[hit.line - 1][0] if 0 < hit.line <= len(added) else 0
            key = (hit.detector, hit.sha256)
            if key not in first:
                first[key] = Introduced(commit, date, author, file, real_line, hit, False)
    head_cache: dict[str, set[str]] = {}
    out = []
    for key, intro in first.items():
        if intro.file not in head_cache:
            try:
                content = _git(repo, "show", f"HEAD:{intro.file}")
                head_cache[intro.file] = {h.sha256 for h in scan_text(intro.file, content)}
            except UsageError:
                head_cache[intro.file] = set()  # the file is gone at HEAD
        at_head = intro.hit.sha256 in head_cache[intro.file]
        out.append(Introduced(intro.commit, intro.date, intro.author, intro.file, intro.line, intro.hit, at_head))
    return sorted(out, key=lambda i: (i.date, i.commit, i.file, i.line))
