"""Native, Checkov-only and combined scans of one corpus, in one run.

    ZERODRIFT_CHECKOV=/path/to/isolated/venv/bin/checkov python bench/engine_combined.py CORPUS [--runs 3]

Native is `zerodrift scan CORPUS --no-secrets`; Checkov-only is the engine's
own command line as zerodrift runs it (same offline flags); combined is
`zerodrift scan CORPUS --no-secrets --engine checkov`. Median of --runs fresh
processes each; Checkov-only is the anchor.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from _timing import median_seconds

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scanner.engines import checkov  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    zerodrift = shutil.which("zerodrift")
    executable, _ = checkov.find()
    if zerodrift is None or executable is None:
        print("needs zerodrift on PATH and Checkov (ZERODRIFT_CHECKOV or zerodrift engines install checkov)", file=sys.stderr)
        return 2
    corpus = str(Path(args.corpus).resolve())
    env = {**os.environ, **checkov.OFFLINE_ENV}
    subprocess_warm = median_seconds([zerodrift, "scan", corpus, "--no-secrets"], 1)
    native = median_seconds([zerodrift, "scan", corpus, "--no-secrets", "--format", "json"], args.runs)
    only = median_seconds([executable, "-d", corpus, *checkov.OFFLINE_ARGS], args.runs, env)
    combined = median_seconds([zerodrift, "scan", corpus, "--no-secrets", "--engine", "checkov", "--format", "json"], args.runs)
    del subprocess_warm
    print(f"corpus {Path(corpus).name}")
    print("| scan | wall time | ratio to Checkov-only |")
    print("|---|---|---|")
    print(f"| Checkov only (anchor) | {only:.2f} s | 1.00x |")
    print(f"| zerodrift native | {native:.2f} s | {native / only:.2f}x |")
    print(f"| zerodrift + Checkov engine | {combined:.2f} s | {combined / only:.2f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
