"""Checkov as an optional external engine, always in its own virtualenv.

Checkov pins forks that install the import names ``hcl2`` and
``detect_secrets`` and would break zerodrift's own, so it is never imported:
it runs as a subprocess (argument list, no shell) with JSON output and
offline settings (``--skip-download``, ``BC_SKIP_MAPPING=TRUE``,
``CKV_SKIP_PACKAGE_UPDATE_CHECK=true``, no API key, no external modules), and
its results are converted into zerodrift findings with ``checkov:`` rule ids.

Where to find it, in order: ``ZERODRIFT_CHECKOV`` (a path), the virtualenv
``zerodrift engines install checkov`` made under the user cache directory,
then ``checkov`` on ``PATH``.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scanner.errors import UsageError
from scanner.model import Diagnostic

NAME = "checkov"
OFFLINE_ENV = {"BC_SKIP_MAPPING": "TRUE", "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "LOG_LEVEL": "ERROR"}
OFFLINE_ARGS = ["--skip-download", "--quiet", "--compact", "-o", "json", "--skip-framework", "secrets", "sca_package", "sca_image"]
DEFAULT_TIMEOUT = 900


@dataclass(frozen=True)
class Failure:
    """One failed Checkov check, as Checkov reports it."""

    check_id: str
    check_name: str
    file: str  # relative to the scan root, / separators
    start_line: int
    end_line: int
    resource: str
    check_type: str
    guideline: str | None
    severity: str | None


def env_dir() -> Path:
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "zerodrift" / "engines" / NAME


def _venv_bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / (name + (".exe" if os.name == "nt" else ""))


def find() -> tuple[str | None, str]:
    """(executable or None, where it came from)."""
    override = os.environ.get("ZERODRIFT_CHECKOV")
    if override:
        return (override if os.path.exists(override) else None), "ZERODRIFT_CHECKOV"
    installed = _venv_bin(env_dir(), "checkov")
    if installed.exists():
        return str(installed), "zerodrift engines install"
    on_path = shutil.which("checkov")
    return on_path, "PATH"


def version(executable: str) -> str | None:
    try:
        proc = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=120, env={**os.environ, **OFFLINE_ENV})
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout.strip().splitlines()[-1] if proc.returncode == 0 and proc.stdout.strip() else None


def install(requested: str | None = None) -> str:
    """Create the isolated virtualenv and install Checkov into it (uses the package index)."""
    venv = env_dir()
    spec = f"checkov=={requested}" if requested else "checkov"
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True, capture_output=True, text=True)
        proc = subprocess.run([str(_venv_bin(venv, "python")), "-m", "pip", "install", "--quiet", spec], capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise UsageError(f"cannot create the Checkov virtualenv in {venv}: {exc}") from None
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["pip failed"])[-1]
        raise UsageError(f"installing {spec} failed: {last}")
    return str(_venv_bin(venv, "checkov"))


def run(paths: list[str], root: str, timeout: int = DEFAULT_TIMEOUT) -> tuple[list[Failure], list[Diagnostic]]:
    """Checkov's failed checks for ``paths``; problems become diagnostics, never exceptions."""
    executable, source = find()
    if executable is None:
        return [], [Diagnostic("checkov", None, f"engine not found ({source}); install it with 'zerodrift engines install checkov'")]
    failures: list[Failure] = []
    diagnostics: list[Diagnostic] = []
    for given in paths:
        target = os.path.abspath(given)
        flag = "-d" if os.path.isdir(target) else "-f"
        cmd = [executable, flag, target, *OFFLINE_ARGS]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env={**os.environ, **OFFLINE_ENV}, errors="replace")
        except subprocess.TimeoutExpired:
            diagnostics.append(Diagnostic("checkov", None, f"engine timed out after {timeout} s on {given}"))
            continue
        except OSError as exc:
            diagnostics.append(Diagnostic("checkov", None, f"engine could not start: {exc.strerror or exc}"))
            continue
        if not proc.stdout.strip() and proc.returncode not in (0, 1):
            reason = (proc.stderr.strip().splitlines() or ["no output"])[-1][:200]
            diagnostics.append(Diagnostic("checkov", None, f"engine failed (exit {proc.returncode}) on {given}: {reason}"))
            continue
        try:
            data = json.loads(proc.stdout) if proc.stdout.strip() else []
        except ValueError:
            reason = (proc.stderr.strip().splitlines() or ["no output"])[-1][:200]
            diagnostics.append(Diagnostic("checkov", None, f"engine output is not JSON (exit {proc.returncode}): {reason}"))
            continue
        if proc.returncode not in (0, 1):
            diagnostics.append(Diagnostic("checkov", None, f"engine exited {proc.returncode} on {given}; its results may be partial"))
        base = target if flag == "-d" else os.path.dirname(target)
        failures.extend(_failures(data, base, root))
    return sorted(set(failures), key=lambda f: (f.file, f.start_line, f.check_id, f.resource)), diagnostics


def _failures(data: Any, base: str, root: str) -> list[Failure]:
    reports = data if isinstance(data, list) else [data]
    out = []
    for report in reports:
        if not isinstance(report, dict):
            continue
        for check in (report.get("results") or {}).get("failed_checks", []) or []:
            if not isinstance(check, dict) or not check.get("check_id"):
                continue
            absolute = check.get("file_abs_path") or os.path.join(base, str(check.get("file_path", "")).lstrip("/"))
            rel = os.path.relpath(absolute, root).replace(os.sep, "/")
            lines = check.get("file_line_range") or [1, 1]
            start = max(int(lines[0] or 1), 1)
            out.append(Failure(
                check_id=str(check["check_id"]),
                check_name=str(check.get("check_name") or check["check_id"]),
                file=rel,
                start_line=start,
                end_line=max(int(lines[-1] or start), start),
                resource=str(check.get("resource") or ""),
                check_type=str(report.get("check_type") or ""),
                guideline=check.get("guideline"),
                severity=(str(check["severity"]).lower() if check.get("severity") else None),
            ))
    return out
