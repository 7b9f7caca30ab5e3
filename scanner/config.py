"""Configuration: the frozen ``ScanConfig`` a scan runs with, and where it comes from.

Sources, highest precedence first: command-line options, ``ZERODRIFT_*``
environment variables, then the configuration file (``--config FILE``, else
``.zerodrift.yaml`` / ``.zerodrift.yml`` in the current directory, else
``[tool.zerodrift]`` in ``pyproject.toml`` there), then built-in defaults.
The file is validated against ``schemas/config.schema.json``; paths in it are
relative to the file.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

from scanner.errors import UsageError

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
CONFIG_FILES = (".zerodrift.yaml", ".zerodrift.yml")
SEVERITY_NAMES = ("critical", "high", "medium", "low", "info")


@dataclass(frozen=True)
class ScanConfig:
    policy: str = "default"
    rules_dirs: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    root: str | None = None  # paths in results are relative to it (default: cwd)
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule id -> overrides
    iac: bool = True  # evaluate policy rules on parsed resources
    secrets: bool = True  # look for hard-coded secrets in every text file
    baseline: str | None = None  # findings file whose fingerprints are accepted
    diff_base: str | None = None  # git revision: only findings on lines changed since it fail
    progress: Callable[[str, int, int], None] | None = field(default=None, compare=False)  # (stage, done, total)
    engines: tuple[str, ...] = ()  # external engines to run as well (scanner.engines.ENGINES)


@dataclass(frozen=True)
class Settings:
    """Every option after precedence is applied (what the CLI acts on)."""

    policy: str = "default"
    fail_on: str = "high"
    excludes: tuple[str, ...] = ()
    rules_dirs: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)
    baseline: str | None = None
    diff_base: str | None = None
    engines: tuple[str, ...] = ()
    source: str | None = None  # the configuration file used, if any

    def scan_config(self) -> ScanConfig:
        return ScanConfig(self.policy, self.rules_dirs, self.excludes, self.max_file_size, None, self.parameters,
                          baseline=self.baseline, diff_base=self.diff_base, engines=self.engines)


def find_config_file(explicit: str | None, cwd: str | None = None) -> Path | None:
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise UsageError(f"configuration file not found: {explicit}")
        return path
    base = Path(cwd or os.getcwd())
    for name in CONFIG_FILES:
        if (base / name).is_file():
            return base / name
    pyproject = base / "pyproject.toml"
    if pyproject.is_file() and "[tool.zerodrift]" in pyproject.read_text(encoding="utf-8", errors="replace"):
        return pyproject
    return None


def load_config_file(path: Path) -> dict[str, Any]:
    """The validated configuration mapping from a YAML file or a pyproject.toml."""
    if path.name == "pyproject.toml" or path.suffix == ".toml":
        data = _load_toml(path).get("tool", {}).get("zerodrift", {})
        data = {k.replace("-", "_"): v for k, v in data.items()}
    else:
        from scanner.errors import ParseError
        from scanner.parsers.safe_yaml import load_documents

        try:
            docs = load_documents(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{path}: cannot read: {exc}") from None
        except ParseError as exc:
            raise UsageError(f"{path}:{exc.line or 1}: {exc.reason}") from None
        data = docs[0].value if docs and docs[0].value is not None else {}
    if not isinstance(data, dict):
        raise UsageError(f"{path}: the configuration must be a mapping")
    from scanner.engine.loader import validate

    validate(data, "config.schema.json", path)
    base = path.resolve().parent
    if "rules_dirs" in data:
        data["rules_dirs"] = [str(base / d) for d in data["rules_dirs"]]
    if "baseline" in data:
        data["baseline"] = str(base / data["baseline"])
    if "policy" in data and data["policy"].endswith((".yaml", ".yml")):
        data["policy"] = str(base / data["policy"])
    return data


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        import tomllib  # Python >= 3.11
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}") from None


def _env_list(value: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in value.replace(os.pathsep, ",").split(",") if p.strip())


def env_settings(environ: dict[str, str] | os._Environ) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if environ.get("ZERODRIFT_POLICY"):
        out["policy"] = environ["ZERODRIFT_POLICY"]
    if environ.get("ZERODRIFT_FAIL_ON"):
        value = environ["ZERODRIFT_FAIL_ON"].strip().lower()
        if value not in SEVERITY_NAMES:
            raise UsageError(f"ZERODRIFT_FAIL_ON: {value!r} is not one of {', '.join(SEVERITY_NAMES)}")
        out["fail_on"] = value
    if environ.get("ZERODRIFT_EXCLUDE"):
        out["exclude"] = list(_env_list(environ["ZERODRIFT_EXCLUDE"]))
    if environ.get("ZERODRIFT_RULES_DIRS"):
        out["rules_dirs"] = list(_env_list(environ["ZERODRIFT_RULES_DIRS"]))
    if environ.get("ZERODRIFT_DIFF_BASE"):
        out["diff_base"] = environ["ZERODRIFT_DIFF_BASE"]
    if environ.get("ZERODRIFT_BASELINE"):
        out["baseline"] = environ["ZERODRIFT_BASELINE"]
    if environ.get("ZERODRIFT_MAX_FILE_SIZE"):
        try:
            out["max_file_size"] = int(environ["ZERODRIFT_MAX_FILE_SIZE"])
        except ValueError:
            raise UsageError("ZERODRIFT_MAX_FILE_SIZE: not a whole number of bytes") from None
    return out


def resolve_settings(cli: dict[str, Any], config_file: str | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Merge defaults < file < environment < command line.  ``cli`` holds only
    the options the user gave (None or empty means "not given")."""
    path = find_config_file(config_file)
    merged: dict[str, Any] = {}
    if path is not None:
        merged.update(load_config_file(path))
    merged.update(env_settings(os.environ if environ is None else environ))
    merged.update({k: v for k, v in cli.items() if v not in (None, (), [])})
    return Settings(
        policy=merged.get("policy", "default"),
        fail_on=merged.get("fail_on", "high"),
        excludes=tuple(merged.get("exclude", ())),
        rules_dirs=tuple(merged.get("rules_dirs", ())),
        max_file_size=int(merged.get("max_file_size", DEFAULT_MAX_FILE_SIZE)),
        parameters=dict(merged.get("parameters", {})),
        baseline=merged.get("baseline"),
        diff_base=merged.get("diff_base"),
        engines=tuple(merged.get("engines", ())),
        source=str(path) if path else None,
    )
