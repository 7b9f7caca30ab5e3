"""Start-up latency of the installed ``zerodrift`` command.

    python bench/startup.py [--runs 21]

Prints the median wall time of ``zerodrift --version`` and of ``zerodrift scan``
on one small Terraform file, each in a fresh process, with the anchor
``python -c pass`` (the interpreter's own start-up) measured in the same run.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import median_seconds

SMALL_TF = 'resource "aws_security_group" "x" {\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n'


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    exe = shutil.which("zerodrift")
    if exe is None:
        print("zerodrift is not installed in this environment", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "main.tf"
        small.write_text(SMALL_TF)
        subprocess.run([exe, "scan", str(small)], stdout=subprocess.DEVNULL, check=False)  # warm the rule cache
        anchor = median_seconds([sys.executable, "-c", "pass"], args.runs)
        version = median_seconds([exe, "--version"], args.runs)
        scan = median_seconds([exe, "scan", str(small)], args.runs)
    print(f"| python -c pass (anchor) | {anchor:.3f} s | 1.0x |")
    print(f"| zerodrift --version | {version:.3f} s | {version / anchor:.1f}x |")
    print(f"| zerodrift scan main.tf (one small file) | {scan:.3f} s | {scan / anchor:.1f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
