"""Shared by the benchmark scripts: wall time of fresh processes."""
from __future__ import annotations

import statistics
import subprocess
import time


def median_seconds(cmd: list[str], runs: int, env: dict | None = None) -> float:
    """Median wall time of ``runs`` fresh runs of ``cmd`` (output discarded)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)
