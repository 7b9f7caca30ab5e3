"""The frozen configuration a scan runs with (built by the CLI or a caller)."""
from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


@dataclass(frozen=True)
class ScanConfig:
    policy: str = "default"
    rules_dirs: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    root: str | None = None  # paths in results are relative to it (default: cwd)
