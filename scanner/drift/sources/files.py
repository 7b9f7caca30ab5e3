"""Reading a live-side file (plan, state, export): size limit, clear errors."""
from __future__ import annotations

import os
import sys

from scanner.errors import UsageError

MAX_LIVE_FILE = 512 * 1024 * 1024  # a 5,000-object export is ~40 MB


def read_live_file(spec: str, limit: int = MAX_LIVE_FILE) -> str:
    """The text of ``spec`` (``-`` = stdin); a UsageError says why it cannot be read."""
    try:
        if spec == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            if os.path.isdir(spec):
                raise UsageError(f"--live {spec}: is a directory; give the plan, state or export file")
            size = os.stat(spec).st_size
            if size > limit:
                raise UsageError(f"--live {spec}: {size} bytes, over the {limit}-byte limit")
            with open(spec, "rb") as fh:
                data = fh.read(limit + 1)
    except OSError as exc:
        raise UsageError(f"--live {spec}: cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise UsageError(f"--live {spec}: over the {limit}-byte limit")
    if b"\x00" in data[:8192]:
        raise UsageError(f"--live {spec}: binary file; give the JSON or YAML text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"--live {spec}: not valid UTF-8 text") from None
