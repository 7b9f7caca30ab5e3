"""Find the files to scan and tell their format by name (and later by content).

Walks directories without following directory symlinks (so a symlink loop
cannot trap it), honours ``.gitignore`` files at every level, the default
excludes and ``--exclude`` globs, and reports unreadable paths as diagnostics.
"""
from __future__ import annotations

import fnmatch
import os
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass

from scanner.errors import UsageError
from scanner.model import Diagnostic

DEFAULT_EXCLUDED_DIRS = frozenset({
    ".git", ".hg", ".svn", ".terraform", "node_modules", ".venv", "venv", ".tox", ".nox",
    "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".idea", ".eggs",
    "site-packages", ".terragrunt-cache", ".serverless",
})
STDIN_NAME = "stdin"
YAML_JSON_SUFFIXES = (".yaml", ".yml", ".json", ".template")


@dataclass(frozen=True)
class Candidate:
    path: str  # absolute path on disk
    rel: str  # path relative to the scan root, / separators
    format: str | None  # None: decide by content (YAML/JSON)


def format_by_name(rel: str) -> str | None | bool:
    """The format implied by a file's name; None = sniff content; False = not IaC."""
    base = posixpath.basename(rel)
    lower = base.lower()
    if lower.endswith((".tf", ".tf.json", ".tfvars", ".tfvars.json")):
        return "terraform"
    if lower in ("dockerfile", "containerfile") or lower.startswith(("dockerfile.", "containerfile.")) or lower.endswith(".dockerfile"):
        return "dockerfile"
    if lower.endswith((".yml", ".yaml")):
        parent = posixpath.dirname(rel)
        if parent == ".github/workflows" or parent.endswith("/.github/workflows"):
            return "workflow"
        if lower.startswith("docker-compose") or lower.startswith("compose.") or lower == "compose.yml":
            return "compose"
    if lower.endswith(YAML_JSON_SUFFIXES):
        return None
    return False


class _Ignore:
    """``.gitignore`` files seen on the way down, each relative to its folder."""

    def __init__(self) -> None:
        self.specs: list[tuple[str, object]] = []

    def add(self, folder_rel: str, text: str) -> None:
        import pathspec  # deferred: only needed when a .gitignore exists

        spec = pathspec.GitIgnoreSpec.from_lines(text.splitlines())
        self.specs.append((folder_rel, spec))

    def ignored(self, rel: str, is_dir: bool) -> bool:
        for folder, spec in self.specs:
            if folder and not rel.startswith(folder + "/"):
                continue
            sub = rel[len(folder) + 1 :] if folder else rel
            if spec.match_file(sub + ("/" if is_dir else "")):  # type: ignore[attr-defined]
                return True
        return False


def _excluded(rel: str, patterns: tuple[str, ...]) -> bool:
    base = posixpath.basename(rel)
    for pattern in patterns:
        pat = pattern.rstrip("/")
        if fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(base, pat) or fnmatch.fnmatch(rel, pat + "/*") or rel.startswith(pat + "/"):
            return True
    return False


def discover(
    paths: list[str], root: str, excludes: tuple[str, ...] = (), diagnostics: list[Diagnostic] | None = None,
    every_file: bool = False,
) -> Iterator[Candidate]:
    """Yield candidates in a deterministic (sorted) order.  With ``every_file``
    files that are not IaC come too, with ``format=False`` (for secrets)."""
    diags = diagnostics if diagnostics is not None else []
    seen: set[str] = set()
    for given in paths:
        if given == "-":  # standard input, e.g. `helm template . | zerodrift scan -`
            yield Candidate("-", STDIN_NAME, None)
            continue
        top = os.path.abspath(given)
        rel_top = _rel(top, root)
        if os.path.islink(top) and not os.path.exists(top):
            diags.append(Diagnostic(rel_top, None, "broken or looping symbolic link"))
            continue
        if os.path.isfile(top):
            if top not in seen and not _excluded(rel_top, excludes):  # excludes apply to named files too
                seen.add(top)
                fmt = format_by_name(rel_top)
                if fmt is not False or every_file:
                    yield Candidate(top, rel_top, fmt)
            continue
        if not os.path.isdir(top):
            raise UsageError(f"no such file or directory: {given}")
        yield from _walk(top, root, excludes, diags, seen, every_file)


def _walk(top: str, root: str, excludes: tuple[str, ...], diags: list[Diagnostic], seen: set[str], every_file: bool) -> Iterator[Candidate]:
    ignore = _Ignore()
    stack = [top]
    while stack:
        folder = stack.pop()
        folder_rel = _rel(folder, root)
        folder_rel = "" if folder_rel == "." else folder_rel
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            diags.append(Diagnostic(folder_rel or ".", None, f"cannot read directory: {exc.strerror}"))
            continue
        gi = next((e for e in entries if e.name == ".gitignore" and e.is_file(follow_symlinks=False)), None)
        if gi is not None:
            try:
                with open(gi.path, encoding="utf-8", errors="replace") as fh:
                    ignore.add(folder_rel, fh.read(1_000_000))
            except OSError:
                pass
        subdirs = []
        for entry in entries:
            rel = f"{folder_rel}/{entry.name}" if folder_rel else entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                is_link = entry.is_symlink()
            except OSError:
                continue
            if is_dir:
                if entry.name in DEFAULT_EXCLUDED_DIRS or _excluded(rel, excludes) or ignore.ignored(rel, True):
                    continue
                subdirs.append(entry.path)
                continue
            if _excluded(rel, excludes) or ignore.ignored(rel, False):
                continue
            fmt = format_by_name(rel)
            if fmt is False and not every_file:
                continue
            if is_link:
                if not os.path.exists(entry.path):
                    diags.append(Diagnostic(rel, None, "broken or looping symbolic link"))
                    continue
                if os.path.isdir(entry.path):
                    continue  # directory symlinks are never followed
            real = os.path.realpath(entry.path)
            if real in seen:
                continue
            seen.add(real)
            yield Candidate(entry.path, rel, fmt)
        stack.extend(reversed(subdirs))


def _rel(path: str, root: str) -> str:
    try:
        rel = os.path.relpath(path, root)
    except ValueError:  # another drive on Windows
        rel = path
    if rel.startswith(".."):
        rel = os.path.abspath(path)
    return rel.replace(os.sep, "/")
