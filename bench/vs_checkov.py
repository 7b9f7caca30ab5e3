"""zerodrift against Checkov and against python-hcl2's bare parse, on the same corpus, in one run.

    python bench/vs_checkov.py CORPUS_DIR --checkov /path/to/isolated/venv/bin/checkov [--runs 3]

Checkov must live in its own virtualenv (it installs forks that shadow
python-hcl2 and detect-secrets); it runs offline with --skip-download and the
environment in CHECKOV_ENV. The python-hcl2 anchor parses every .tf file of
the corpus with ``hcl2.load`` in a fresh process of this interpreter, i.e. what
any HCL-based scanner has to pay at least. Each tool runs in a fresh process;
the median of --runs is reported (Checkov once unless --checkov-runs is given).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from _timing import median_seconds

CHECKOV_ENV = {"BC_SKIP_MAPPING": "TRUE", "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "LOG_LEVEL": "ERROR"}
HCL2_ONLY = """
import sys, hcl2
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob("*.tf")):
    if ".terraform" in path.parts:
        continue
    with open(path, encoding="utf-8") as fh:
        try:
            hcl2.load(fh)
        except Exception:
            pass
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("--checkov", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--checkov-runs", type=int, default=1)
    args = parser.parse_args()
    zerodrift = shutil.which("zerodrift")
    if zerodrift is None:
        print("zerodrift is not installed in this environment", file=sys.stderr)
        return 2
    corpus = str(Path(args.corpus).resolve())
    tf_files = [p for p in Path(corpus).rglob("*.tf") if ".terraform" not in p.parts]
    subprocess.run([zerodrift, "scan", corpus], stdout=subprocess.DEVNULL, check=False)  # warm the rule cache
    ours = median_seconds([zerodrift, "scan", corpus, "--format", "json"], args.runs)
    hcl2_only = median_seconds([sys.executable, "-c", HCL2_ONLY, corpus], args.runs)
    env = {**os.environ, **CHECKOV_ENV}
    checkov = median_seconds([args.checkov, "-d", corpus, "--quiet", "--compact", "-o", "json", "--skip-download"], args.checkov_runs, env)
    name = Path(corpus).name
    print(f"corpus {name}: {len(tf_files)} .tf files")
    print(f"| tool | wall time | ratio |")
    print(f"|---|---|---|")
    print(f"| checkov -d (anchor) | {checkov:.2f} s | 1.0x |")
    print(f"| zerodrift scan | {ours:.2f} s | {checkov / ours:.1f}x faster than Checkov |")
    print(f"| python-hcl2 parse only (anchor) | {hcl2_only:.2f} s | zerodrift = {ours / hcl2_only:.2f}x of it |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
