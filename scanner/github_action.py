"""The GitHub Action's entry point: ``python -m scanner.github_action``.

``action.yml`` is a thin composite wrapper: it installs zerodrift into a venv
and runs this module with every input passed as an environment variable (never
``${{ }}`` inside a script).  This module then, in this order:

1. resolves settings as the CLI does (``scanner.config.resolve_settings``:
   the options below > ``ZERODRIFT_*`` variables > the configuration file);
2. scans through ``scanner.api.scan`` with the workspace as the root, so SARIF
   URIs are relative to the repository;
3. writes the SARIF file (always first, so an upload step can rely on it);
4. prints annotations for the findings that fail the scan (at or above
   fail-on and, with a diff base, on a changed line), at most 10 per level,
   then the text report wrapped in ``::stop-commands::<random token>`` so that
   nothing from a scanned file is taken as a workflow command;
5. appends the Markdown report to ``$GITHUB_STEP_SUMMARY``;
6. writes the outputs ``sarif-file``, ``findings``, ``failing`` and
   ``exit-code`` to ``$GITHUB_OUTPUT``;
7. exits like the CLI: 0 nothing fails, 1 findings fail, 2 usage,
   configuration or internal error (one line on stderr, and an ``::error``).

Environment (the Action's inputs; all optional):

=========================  ==============================================
``ZERODRIFT_PATHS``         paths to scan, shell-quoted, space or newline
                            separated (default ``.``)
``ZERODRIFT_POLICY``        policy pack name or file (read by config)
``ZERODRIFT_FAIL_ON``       severity threshold (read by config)
``ZERODRIFT_BASELINE``      baseline file (read by config)
``ZERODRIFT_CONFIG``        configuration file (default: discovered)
``ZERODRIFT_DIFF_BASE``     git revision for diff-only gating; empty: the
                            pull request's base commit on pull request
                            events, none otherwise; ``none``: gate on
                            everything
``ZERODRIFT_SARIF_FILE``    where to write SARIF (default ``zerodrift.sarif``)
``ZERODRIFT_EXTRA_ARGS``    more options, shell-quoted; only --exclude,
                            --rules-dir, --max-file-size, --no-secrets
                            and --secrets-only
``ZERODRIFT_JOB_SUMMARY``   ``true`` (default) or ``false``
=========================  ==============================================

and the runner's ``GITHUB_WORKSPACE``, ``GITHUB_OUTPUT``,
``GITHUB_STEP_SUMMARY``, ``GITHUB_EVENT_PATH`` and ``GITHUB_EVENT_NAME``.
"""
from __future__ import annotations

import json
import os
import secrets
import shlex
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from typing import Any
from typing import TextIO

from scanner.errors import UsageError
from scanner.model import SEVERITY_RANK
from scanner.model import Finding

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
DEFAULT_SARIF = "zerodrift.sarif"
MAX_ANNOTATIONS = 10  # per level and step, as GitHub shows them
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "notice", "info": "notice"}
PR_EVENTS = ("pull_request", "pull_request_target")
NO_DIFF_BASE = "none"

# --option -> (settings key, takes a value); the only options extra-args accepts
EXTRA_ARGS = {
    "--exclude": ("exclude", True),
    "--rules-dir": ("rules_dirs", True),
    "--max-file-size": ("max_file_size", True),
    "--no-secrets": ("no_secrets", False),
    "--secrets-only": ("secrets_only", False),
}


@dataclass
class Extra:
    exclude: list[str] = field(default_factory=list)
    rules_dirs: list[str] = field(default_factory=list)
    max_file_size: int | None = None
    no_secrets: bool = False
    secrets_only: bool = False


def parse_extra_args(text: str) -> Extra:
    """The allowed options in ``text`` (shell syntax); anything else is a UsageError."""
    try:
        tokens = shlex.split(text)
    except ValueError as exc:
        raise UsageError(f"extra-args: {exc}") from None
    extra = Extra()
    allowed = ", ".join(EXTRA_ARGS)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        name, eq, value = token.partition("=")
        if name not in EXTRA_ARGS:
            if token.startswith("-"):
                raise UsageError(f"extra-args: {name} is not supported by the Action (allowed: {allowed}; see the inputs for the rest)")
            raise UsageError(f"extra-args: unexpected argument {token!r}; put paths in the 'paths' input")
        key, takes_value = EXTRA_ARGS[name]
        if not takes_value:
            if eq:
                raise UsageError(f"extra-args: {name} takes no value")
            setattr(extra, key, True)
        else:
            if not eq:
                i += 1
                if i == len(tokens):
                    raise UsageError(f"extra-args: {name} needs a value")
                value = tokens[i]
            if key == "max_file_size":
                if not value.isdigit() or int(value) < 1:
                    raise UsageError(f"extra-args: {name} needs a whole number of bytes >= 1, not {value!r}")
                extra.max_file_size = int(value)
            else:
                getattr(extra, key).append(value)
        i += 1
    if extra.no_secrets and extra.secrets_only:
        raise UsageError("extra-args: --secrets-only and --no-secrets exclude each other")
    return extra


def _read_event(environ: Mapping[str, str]) -> dict[str, Any]:
    path = environ.get("GITHUB_EVENT_PATH")
    if not path:
        return {}
    try:
        with open(path, encoding="utf-8") as fh:
            event = json.load(fh)
    except (OSError, ValueError):
        return {}
    return event if isinstance(event, dict) else {}


def pull_request_base(environ: Mapping[str, str]) -> str | None:
    """The base commit of the pull request that triggered the run, if any."""
    event_name = environ.get("GITHUB_EVENT_NAME")
    if event_name and event_name not in PR_EVENTS:
        return None
    pr = _read_event(environ).get("pull_request")
    base = pr.get("base") if isinstance(pr, dict) else None
    sha = base.get("sha") if isinstance(base, dict) else None
    return sha if isinstance(sha, str) and sha else None


def _has_commit(root: str, rev: str) -> bool:
    try:
        proc = subprocess.run(["git", "-C", root, "cat-file", "-e", f"{rev}^{{commit}}"], capture_output=True, check=False)
    except OSError:
        return False
    return proc.returncode == 0


# ---- workflow commands (https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions)

def escape_data(text: str) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **props: object) -> str:
    """``::name key=value,...::message`` with every part escaped."""
    args = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v not in (None, ""))
    return f"::{name}{' ' + args if args else ''}::{escape_data(message)}"


def annotations(failing: list[Finding]) -> tuple[list[str], dict[str, int]]:
    """At most ``MAX_ANNOTATIONS`` lines per level, most severe first; and how many were left out per level."""
    lines: list[str] = []
    shown: dict[str, int] = {}
    left: dict[str, int] = {}
    for f in sorted(failing, key=lambda f: (-SEVERITY_RANK[f.severity], f.sort_key())):
        level = LEVELS[f.severity]
        if shown.get(level, 0) >= MAX_ANNOTATIONS:
            left[level] = left.get(level, 0) + 1
            continue
        shown[level] = shown.get(level, 0) + 1
        end = f.end_line if f.end_line > f.line else None
        lines.append(command(level, f.message, file=f.file, line=f.line, endLine=end, title=f"{f.rule_id} ({f.severity}): {f.title}"))
    return lines, left


def write_outputs(path: str | None, values: Mapping[str, object]) -> None:
    if not path:
        return
    with open(path, "a", encoding="utf-8", newline="\n") as fh:
        for name, value in values.items():
            text = str(value)
            if "\n" in text or "\r" in text:
                delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
                fh.write(f"{name}<<{delimiter}\n{text}\n{delimiter}\n")
            else:
                fh.write(f"{name}={text}\n")


# ---- the run

def _flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    value = environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("true", "1", "yes", "on"):
        return True
    if value in ("false", "0", "no", "off"):
        return False
    raise UsageError(f"{name}: expected true or false, not {value!r}")


def run(environ: Mapping[str, str], out: TextIO) -> int:
    from scanner.api import scan
    from scanner.config import resolve_settings
    from scanner.reporters import markdown
    from scanner.reporters import sarif
    from scanner.reporters import text

    workspace = os.path.abspath(environ.get("GITHUB_WORKSPACE") or os.getcwd())
    try:
        os.chdir(workspace)  # the configuration file, relative inputs and SARIF URIs all start here
    except OSError as exc:
        raise UsageError(f"GITHUB_WORKSPACE {workspace}: {exc.strerror or exc}") from None
    try:
        paths = shlex.split(environ.get("ZERODRIFT_PATHS", "")) or ["."]
    except ValueError as exc:
        raise UsageError(f"paths: {exc}") from None
    extra = parse_extra_args(environ.get("ZERODRIFT_EXTRA_ARGS", ""))
    job_summary = _flag(environ, "ZERODRIFT_JOB_SUMMARY", True)
    diff_input = environ.get("ZERODRIFT_DIFF_BASE", "").strip()
    config_env = {k: v for k, v in environ.items() if k != "ZERODRIFT_DIFF_BASE"}
    if diff_input and diff_input.lower() != NO_DIFF_BASE:
        config_env["ZERODRIFT_DIFF_BASE"] = diff_input
    settings = resolve_settings(
        {"exclude": extra.exclude, "rules_dirs": extra.rules_dirs, "max_file_size": extra.max_file_size},
        environ.get("ZERODRIFT_CONFIG", "").strip() or None,
        config_env,
    )
    diff_base = settings.diff_base
    if diff_input.lower() == NO_DIFF_BASE:
        diff_base = None
    elif diff_base is None:
        diff_base = pull_request_base(environ)
        if diff_base and not _has_commit(workspace, diff_base):
            print(command("warning", f"diff-only gating is off: the pull request's base commit {diff_base} is not in the "
                          "checkout (use actions/checkout with fetch-depth: 0)", title="zerodrift"), file=out)
            diff_base = None
    config = replace(settings.scan_config(), root=workspace, iac=not extra.secrets_only, secrets=not extra.no_secrets,
                     diff_base=diff_base)
    fail_on = settings.fail_on

    result = scan(paths, config)

    sarif_file = os.path.abspath(environ.get("ZERODRIFT_SARIF_FILE", "").strip() or DEFAULT_SARIF)
    try:
        os.makedirs(os.path.dirname(sarif_file), exist_ok=True)
        with open(sarif_file, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(sarif.render(result, fail_on=fail_on))
    except OSError as exc:
        raise UsageError(f"cannot write the SARIF file {sarif_file}: {exc.strerror or exc}") from None

    failing = result.worst_at_or_above(fail_on)
    lines, left = annotations(failing)
    for line in lines:
        print(line, file=out)
    token = secrets.token_hex(16)
    print(f"::stop-commands::{token}", file=out)  # nothing from a scanned file below runs as a command
    out.write(text.render(result, fail_on=fail_on))
    for level, count in sorted(left.items()):
        print(f"zerodrift: {count} more {level} annotation(s) not shown; see the job summary or code scanning", file=out)
    print(f"zerodrift: {len(result.findings)} finding(s), {len(failing)} failing at or above {fail_on}"
          + (f" on lines changed since {diff_base}" if diff_base else "") + f"; SARIF written to {sarif_file}", file=out)
    print(f"::{token}::", file=out)
    out.flush()

    summary_path = environ.get("GITHUB_STEP_SUMMARY")
    if job_summary and summary_path:
        try:
            with open(summary_path, "a", encoding="utf-8", newline="\n") as fh:
                fh.write(markdown.render(result, fail_on=fail_on) + "\n")
        except OSError as exc:
            print(command("warning", f"cannot write the job summary: {exc.strerror or exc}", title="zerodrift"), file=out)
    code = EXIT_FINDINGS if failing else EXIT_CLEAN
    write_outputs(environ.get("GITHUB_OUTPUT"), {
        "sarif-file": sarif_file, "findings": len(result.findings), "failing": len(failing), "exit-code": code,
    })
    return code


def _one_line(message: object) -> str:
    return " ".join(str(message).split())


def main(environ: Mapping[str, str] | None = None) -> int:
    env = os.environ if environ is None else environ
    try:
        return run(env, sys.stdout)
    except UsageError as exc:
        message = f"error: {_one_line(exc)}"
    except KeyboardInterrupt:
        print("zerodrift: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the one place an unexpected failure becomes exit 2
        message = f"internal error: {type(exc).__name__}: {_one_line(exc)[:300]}"
    print(command("error", message, title="zerodrift"), file=sys.stdout)
    print(f"zerodrift: {message}", file=sys.stderr)
    try:
        write_outputs(env.get("GITHUB_OUTPUT"), {"exit-code": EXIT_ERROR})
    except OSError:
        pass
    return EXIT_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
