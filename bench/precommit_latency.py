"""Latency of zerodrift as a pre-commit hook: five changed files.

    python -m venv /tmp/zdpc && /tmp/zdpc/bin/pip install .
    PATH=/tmp/zdpc/bin:$PATH python bench/precommit_latency.py [--runs 21] [--wheelhouse DIR] [--no-pre-commit]

Writes five small changed files (a Terraform file, a Kubernetes manifest, a
Dockerfile, a GitHub Actions workflow and a .env) into a temporary git
repository and prints, as a Markdown table, the median wall time of fresh
processes of:

- ``python -c pass``, the anchor, measured in the same run;
- ``zerodrift scan`` and ``zerodrift scan --secrets-only`` on the five files
  (what each hook's entry runs on one chunk);
- ``pre-commit run <hook> --files ...`` for both hooks, in a hook environment
  prepared beforehand (``pre-commit install-hooks``) from this checkout's
  working tree (copied and committed into a temporary repository, since
  pre-commit clones the hook repository with git). Needs ``pre-commit`` on PATH
  or ``--pre-commit``; building the hook environment needs the package index or
  ``--wheelhouse`` (``pip download -d DIR setuptools wheel <runtime deps>``).

The target is 5 files under 0.5 s of wall time for ``zerodrift scan``. CPU
time (user + system) is printed too: on a busy machine wall time grows with
the load, CPU time much less. Each command is run
once before timing, so the rule cache (``$XDG_CACHE_HOME/zerodrift``) is warm,
as it is on a developer's machine after the first commit.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 0.5

CHANGED_FILES = {
    "infra/main.tf": """\
resource "aws_security_group" "ssh" {
  name = "ssh"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}
""",
    "k8s/deployment.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          ports: [{containerPort: 8080}]
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 500m, memory: 256Mi}
""",
    "Dockerfile": """\
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER 10001
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://localhost:8080/health')"
CMD ["python", "-m", "app"]
""",
    ".github/workflows/ci.yml": """\
name: ci
on:
  pull_request:
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
      - run: make test
""",
    ".env": "LOG_LEVEL=info\nPORT=8080\nDATABASE_HOST=db.internal\n",
}


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def _git(cwd: Path, *args: str, env: dict[str, str]) -> str:
    proc = _run(["git", *args], cwd, env)
    if proc.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {proc.stderr.strip()}")
    return proc.stdout.strip()


def _snapshot(dest: Path, env: dict[str, str]) -> str:
    """Commit this checkout's working tree (tracked and untracked, non-ignored files) into ``dest``."""
    listed = _git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard", env=env)
    for rel in sorted(set(filter(None, listed.split("\0")))):
        src = REPO / rel
        if os.path.lexists(src) and not src.is_dir():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel, follow_symlinks=False)
    _git(dest, "init", "-q", env=env)
    _git(dest, "add", "-A", env=env)
    _git(dest, "commit", "-q", "--no-verify", "-m", "snapshot", env=env)
    return _git(dest, "rev-parse", "HEAD", env=env)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(cmd: list[str], cwd: Path, runs: int, env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Median wall time and median CPU time (user + system, the process and its
    children) of ``runs`` fresh runs, after one untimed run that warms the rule
    cache and the page cache and gives the exit code."""
    code = _run(cmd, cwd, env).returncode
    walls, cpus = [], []
    for _ in range(runs):
        cpu0, start = _children_cpu(), time.perf_counter()
        subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        walls.append(time.perf_counter() - start)
        cpus.append(_children_cpu() - cpu0)
    return statistics.median(walls), statistics.median(cpus), code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--zerodrift", default=shutil.which("zerodrift"), help="zerodrift executable (default: from PATH)")
    parser.add_argument("--pre-commit", dest="pre_commit", default=shutil.which("pre-commit"), help="pre-commit executable (default: from PATH)")
    parser.add_argument("--wheelhouse", help="build the hook environment offline from this folder of wheels")
    parser.add_argument("--no-pre-commit", action="store_true", help="time zerodrift alone")
    args = parser.parse_args()
    if not args.zerodrift:
        print("zerodrift is not installed in this environment", file=sys.stderr)
        return 2
    version = _run([args.zerodrift, "--version"], REPO).stdout.strip()

    with tempfile.TemporaryDirectory(prefix="zd-precommit-") as tmp_name:
        tmp = Path(tmp_name)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PRE_COMMIT_HOME")}
        env.update({"XDG_CACHE_HOME": str(tmp / "cache"), "PRE_COMMIT_HOME": str(tmp / "pre-commit-home"),
                    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1",
                    "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
                    "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid"})
        if args.wheelhouse:
            env.update({"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(Path(args.wheelhouse).resolve())})
        project = tmp / "project"
        project.mkdir()
        _git(project, "init", "-q", env=env)
        for rel, text in CHANGED_FILES.items():
            (project / rel).parent.mkdir(parents=True, exist_ok=True)
            (project / rel).write_text(text, encoding="utf-8")
        files = sorted(CHANGED_FILES)

        rows: list[tuple[str, float, float, int | None]] = []
        anchor, anchor_cpu, _ = _timed([sys.executable, "-c", "pass"], project, args.runs)
        rows.append(("`python -c pass` (anchor)", anchor, anchor_cpu, None))
        for label, extra in (("`zerodrift scan` (hook `zerodrift`)", []), ("`zerodrift scan --secrets-only` (hook `zerodrift-secrets`)", ["--secrets-only"])):
            rows.append((label, *_timed([args.zerodrift, "scan", *extra, *files], project, args.runs, env)))

        note = ""
        if args.no_pre_commit:
            note = "pre-commit not timed (--no-pre-commit)"
        elif not args.pre_commit:
            note = "pre-commit not timed: not on PATH (pass --pre-commit)"
        else:
            source = tmp / "zerodrift"
            source.mkdir()
            rev = _snapshot(source, env)
            (project / ".pre-commit-config.yaml").write_text(
                f"repos:\n-   repo: {source}\n    rev: {rev}\n    hooks:\n    -   id: zerodrift\n    -   id: zerodrift-secrets\n",
                encoding="utf-8")
            _git(project, "add", "-A", env=env)
            prepared = _run([args.pre_commit, "install-hooks"], project, env)
            if prepared.returncode != 0:
                note = f"pre-commit not timed: install-hooks failed: {(prepared.stdout + prepared.stderr).strip().splitlines()[-1:]}"
            else:
                for hook in ("zerodrift", "zerodrift-secrets"):
                    cmd = [args.pre_commit, "run", hook, "--files", *files]
                    rows.append((f"`pre-commit run {hook} --files` (prepared hook env)", *_timed(cmd, project, args.runs, env)))

    print(f"{version} ({args.zerodrift}), Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f}; median of {args.runs} fresh processes; "
          f"5 changed files: {', '.join(files)}")
    print()
    print("| command | wall time | ratio to anchor | CPU time (user+sys) | exit |")
    print("|---|---|---|---|---|")
    for label, seconds, cpu, code in rows:
        print(f"| {label} | {seconds:.3f} s | {seconds / anchor:.1f}x | {cpu:.3f} s | {'' if code is None else code} |")
    scan_seconds = rows[1][1]
    print()
    print(f"target: `zerodrift scan` on 5 files under {TARGET_SECONDS} s: "
          f"{'met' if scan_seconds < TARGET_SECONDS else 'NOT met'} ({scan_seconds:.3f} s)")
    if note:
        print(note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
