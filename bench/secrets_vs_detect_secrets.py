"""zerodrift's secret detection against detect-secrets: speed, memory and accuracy, in one run.

    python bench/secrets_vs_detect_secrets.py CORPUS... [--labelled tests/fixtures/secrets-labelled] [--runs 3]

For every CORPUS (a directory, e.g. one made by bench/gen_secret_corpus.py) both
tools run with cwd=CORPUS on the path ``.``:

    detect-secrets scan --all-files .
    zerodrift scan . --secrets-only --format json

Each is timed over --runs fresh processes (median wall time). Unless
--no-warmup, every file of the corpus is read once first (page cache) and
zerodrift runs once untimed (its rule cache; detect-secrets keeps no cache
between runs, so a warm-up run of it would only cost time). Peak memory is
the largest maximum resident set size over those runs as reported by
``/usr/bin/time -f %M`` (else by ``os.wait4``): the peak of the biggest single
process of the tool's process tree, not the sum over processes (detect-secrets
scans with a pool of one worker per CPU). A corpus holding planted.json (gen_secret_corpus.py) also
gets recall on the planted secrets and the findings on its look-alike lines.

--labelled DIR runs both tools once on a labelled set: DIR/labels.yaml lists
``secrets`` ({file, line, kind}) and ``not_secrets`` ({file, line, why}). A secret
counts as found when the tool reports a finding in that file on that line
(--line-slack N also accepts up to N lines above it); every other reported
(file, line) is a false positive. Findings in labels.yaml
and planted.json are ignored.

Tool output: detect-secrets JSON ``results`` -> {file: [{line_number, type}]};
zerodrift JSON ``findings`` -> [{file, line, rule_id, ...}], of which those with
rule ids starting ZD-SECRET- count. A tool whose output is not that JSON is
reported (exit status, stderr tail) and left out of the tables; the script then
exits 1. --zerodrift and --detect-secrets replace the commands (e.g. a stub).
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GNU_TIME = "/usr/bin/time"
IGNORED_FILES = {"labels.yaml", "planted.json"}
SECRET_RULE_PREFIX = "ZD-SECRET-"
DS = "detect-secrets"
ZD = "zerodrift"


class ToolOutputError(Exception):
    pass


@dataclass
class Measure:
    wall: float | None = None           # median seconds
    walls: list[float] = field(default_factory=list)
    peak_kb: int | None = None          # max over runs of max RSS
    findings: list[tuple[str, int, str]] | None = None  # (file, line, type/rule)
    error: str | None = None


# ------------------------------------------------------------ commands


def detect_secrets_cmd(override: str | None) -> list[str]:
    if override:
        return shlex.split(override)
    exe = shutil.which("detect-secrets")
    return [exe] if exe else [sys.executable, "-m", "detect_secrets"]


def zerodrift_cmd(override: str | None) -> tuple[list[str], dict | None]:
    """The zerodrift command, and the environment it needs (None: inherit)."""
    if override:
        return shlex.split(override), None
    exe = shutil.which("zerodrift")
    if exe:
        return [exe], None
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return [sys.executable, "-m", "scanner"], env


def tool_argv(tool: str, base: list[str]) -> list[str]:
    if tool == DS:
        return base + ["scan", "--all-files", "."]
    return base + ["scan", ".", "--secrets-only", "--format", "json"]


# ----------------------------------------------------------- measuring


def _gnu_time_works() -> bool:
    if not os.access(GNU_TIME, os.X_OK):
        return False
    with tempfile.NamedTemporaryFile("r") as fh:
        proc = subprocess.run([GNU_TIME, "-f", "%M", "-o", fh.name, "true"], capture_output=True, check=False)
        return proc.returncode == 0 and fh.read().strip().isdigit()


USE_GNU_TIME = _gnu_time_works()


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def run_once(argv: list[str], cwd: Path, env: dict | None, timeout: float | None) -> tuple[float, int | None, int, bytes, bytes]:
    """(wall seconds, max RSS in KiB, exit status, stdout, stderr) of one fresh run."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        if USE_GNU_TIME:
            cmd = [GNU_TIME, "-f", "%M", "-o", rss.name] + argv
        else:
            cmd = argv
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                start_new_session=True)
        timer, killed = None, []
        if timeout:
            timer = threading.Timer(timeout, lambda: (killed.append(True), _kill_group(proc.pid)))
            timer.start()
        try:
            if USE_GNU_TIME:
                status = proc.wait()
                wall = time.perf_counter() - start
                text = rss.read().strip().splitlines()
                # GNU time writes "Command exited with non-zero status N" before the number.
                peak = int(text[-1].strip()) if text and text[-1].strip().isdigit() else None
            else:
                # rusage of this child, including its reaped descendants (what GNU time reports too).
                _, wstatus, usage = os.wait4(proc.pid, 0)
                wall = time.perf_counter() - start
                proc.returncode = status = os.waitstatus_to_exitcode(wstatus)
                peak = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
        finally:
            if timer is not None:
                timer.cancel()
        if killed:
            raise subprocess.TimeoutExpired(argv, timeout)
        out.seek(0)
        err.seek(0)
        return wall, peak, status, out.read(), err.read()


# ----------------------------------------------------------- parsing


def _norm(path: str, cwd: Path) -> str:
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.resolve().relative_to(cwd.resolve())
        except ValueError:
            return p.as_posix()
    return os.path.normpath(p.as_posix()).replace(os.sep, "/")


def parse_output(tool: str, stdout: bytes, cwd: Path) -> list[tuple[str, int, str]]:
    try:
        doc = json.loads(stdout.decode("utf-8", "replace"))
    except ValueError as exc:
        raise ToolOutputError(f"output is not JSON ({exc})") from None
    found = []
    if tool == DS:
        if not isinstance(doc, dict) or not isinstance(doc.get("results"), dict):
            raise ToolOutputError("JSON has no 'results' object")
        for name, items in doc["results"].items():
            for item in items:
                found.append((_norm(item.get("filename", name), cwd), int(item["line_number"]), item.get("type", "?")))
        return found
    findings = doc.get("findings") if isinstance(doc, dict) else None
    if not isinstance(findings, list):
        raise ToolOutputError("JSON has no 'findings' list")
    for item in findings:
        rule = str(item.get("rule_id", ""))
        if not rule.startswith(SECRET_RULE_PREFIX):
            continue
        name, line = item.get("file"), item.get("line")
        if name is None or line is None:
            raise ToolOutputError(f"finding without file/line: {json.dumps(item)[:200]}")
        detector = (item.get("secret") or {}).get("detector") if isinstance(item.get("secret"), dict) else None
        found.append((_norm(str(name), cwd), int(line), f"{rule}" + (f" {detector}" if detector else "")))
    return found


def _describe_failure(status: int, stdout: bytes, stderr: bytes, why: str) -> str:
    head = stdout.decode("utf-8", "replace").strip()[:300]
    tail = stderr.decode("utf-8", "replace").strip()[-600:]
    msg = f"{why}; exit status {status}"
    if head:
        msg += f"\n      stdout starts: {head!r}"
    if tail:
        msg += f"\n      stderr ends: {tail!r}"
    return msg


def measure(tool: str, argv: list[str], cwd: Path, env: dict | None, runs: int, warmup: bool,
            timeout: float | None) -> Measure:
    m = Measure()
    total = runs + (1 if warmup else 0)
    for i in range(total):
        try:
            wall, peak, status, out, err = run_once(argv, cwd, env, timeout)
        except FileNotFoundError as exc:
            m.error = f"cannot run {argv[0]!r}: {exc}"
            return m
        except subprocess.TimeoutExpired:
            m.error = f"timed out after {timeout} s"
            return m
        if i == 0 or i == total - 1:  # check the first run, keep the last run's findings
            try:
                m.findings = parse_output(tool, out, cwd)
            except ToolOutputError as exc:
                m.error = _describe_failure(status, out, err, str(exc))
                m.findings = None
                return m
        if warmup and i == 0:
            continue
        m.walls.append(wall)
        if peak is not None:
            m.peak_kb = max(m.peak_kb or 0, peak)
    m.wall = statistics.median(m.walls)
    return m


# ------------------------------------------------------------- truth


def load_truth(folder: Path) -> tuple[list[dict], list[dict]] | None:
    """(secrets, not_secrets) from labels.yaml or planted.json, or None."""
    labels = folder / "labels.yaml"
    if labels.is_file():
        import yaml

        doc = yaml.safe_load(labels.read_text(encoding="utf-8")) or {}
        return list(doc.get("secrets") or []), list(doc.get("not_secrets") or [])
    planted = folder / "planted.json"
    if planted.is_file():
        doc = json.loads(planted.read_text(encoding="utf-8"))
        return list(doc.get("secrets") or []), [dict(r, why=r.get("kind", "")) for r in doc.get("lookalikes") or []]
    return None


@dataclass
class Score:
    per_kind: dict[str, tuple[int, int]]       # kind -> (found, total)
    found: int
    total: int
    fp_lines: list[tuple[str, int, list[str]]]   # reported (file, line) that are not secrets
    on_lookalikes: list[tuple[str, int, str, list[str]]]
    missed: list[dict]

    @property
    def recall(self) -> float:
        return self.found / self.total if self.total else float("nan")

    @property
    def precision(self) -> float:
        tp = self.found
        return tp / (tp + len(self.fp_lines)) if tp + len(self.fp_lines) else float("nan")


def score(findings: list[tuple[str, int, str]], secrets: list[dict], not_secrets: list[dict], slack: int = 0) -> Score:
    """Match findings to secrets on (file, line); with slack > 0 a finding up to that many lines
    above a secret also matches it (e.g. a YAML block scalar reported on its key line)."""
    reported: dict[tuple[str, int], list[str]] = defaultdict(list)
    for name, line, kind in findings:
        if name in IGNORED_FILES:
            continue
        reported[(name, line)].append(kind)
    truth = {(str(s["file"]), int(s["line"])): s for s in secrets}
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missed, matched = [], set(k for k in reported if k in truth)
    for (name, line), s in truth.items():
        per_kind[s["kind"]][1] += 1
        hit = next(((name, line - d) for d in range(slack + 1) if (name, line - d) in reported
                    and ((name, line - d) == (name, line) or (name, line - d) not in truth)), None)
        if hit is None:
            missed.append(s)
        else:
            per_kind[s["kind"]][0] += 1
            matched.add(hit)
    looks = {(str(n["file"]), int(n["line"])): n.get("why", "") for n in not_secrets}
    fp = sorted((f, l, sorted(set(k))) for (f, l), k in reported.items() if (f, l) not in matched)
    on_look = [(f, l, looks[(f, l)], k) for f, l, k in fp if (f, l) in looks]
    found = sum(v[0] for v in per_kind.values())
    return Score({k: (v[0], v[1]) for k, v in sorted(per_kind.items())}, found, len(truth), fp, on_look, missed)


# ------------------------------------------------------------ output


def _fmt_s(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.2f} s"


def _fmt_mb(kb: int | None) -> str:
    return "n/a" if kb is None else f"{kb / 1024:.0f} MB"


def _pct(a: int, b: int) -> str:
    return "n/a" if not b else f"{a}/{b} ({100 * a / b:.0f}%)"


def corpus_stats(folder: Path, read: bool = False) -> tuple[int, int]:
    """(files, bytes) under folder; with read=True every file is also read once, to warm the page cache."""
    files = size = 0
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if d != ".git"]
        for n in names:
            path = os.path.join(root, n)
            try:
                size += os.lstat(path).st_size
                files += 1
                if read and os.path.isfile(path):
                    with open(path, "rb") as fh:
                        while fh.read(1 << 20):
                            pass
            except OSError:
                pass
    return files, size


def print_accuracy(title: str, scores: dict[str, Score | None], errors: dict[str, str], details: bool,
                   walls: dict[str, float] | None = None) -> None:
    tools = [t for t in (DS, ZD) if scores.get(t) is not None]
    print(f"\n### {title}\n")
    if not tools:
        print("no tool produced usable output")
        return
    kinds = sorted({k for t in tools for k in scores[t].per_kind})
    print("| kind | " + " | ".join(f"{t} recall" for t in tools) + " |")
    print("|---|" + "---|" * len(tools))
    for kind in kinds:
        print(f"| {kind} | " + " | ".join(_pct(*scores[t].per_kind.get(kind, (0, 0))) for t in tools) + " |")
    print("| **all secrets** | " + " | ".join(f"**{_pct(scores[t].found, scores[t].total)}**" for t in tools) + " |")
    print("| false-positive lines | " + " | ".join(str(len(scores[t].fp_lines)) for t in tools) + " |")
    print("| ... of which on labelled look-alikes | " + " | ".join(
        f"{len(scores[t].on_lookalikes)}" for t in tools) + " |")
    print("| precision (lines) | " + " | ".join(f"{100 * scores[t].precision:.0f}%" for t in tools) + " |")
    if walls:
        print("| wall time (1 run) | " + " | ".join(_fmt_s(walls.get(t)) for t in tools) + " |")
    for t, err in errors.items():
        print(f"\n{t}: not scored -- {err}")
    for t in tools:
        s = scores[t]
        if s.on_lookalikes:
            print(f"\n{t} findings on look-alike lines:")
            for f, l, why, k in s.on_lookalikes:
                print(f"  - {f}:{l} ({why}): {', '.join(k)}")
        if details:
            others = [x for x in s.fp_lines if (x[0], x[1]) not in {(a, b) for a, b, _, _ in s.on_lookalikes}]
            if others:
                print(f"\n{t} other false-positive lines:")
                for f, l, k in others:
                    print(f"  - {f}:{l}: {', '.join(k)}")
            if s.missed:
                print(f"\n{t} missed secrets:")
                for m in sorted(s.missed, key=lambda r: (r["file"], r["line"])):
                    print(f"  - {m['file']}:{m['line']} {m['kind']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="*", help="directories to time both tools on")
    parser.add_argument("--labelled", metavar="DIR", help="labelled set with labels.yaml (e.g. tests/fixtures/secrets-labelled)")
    parser.add_argument("--runs", type=int, default=3, help="timed fresh runs per tool and corpus (median reported)")
    parser.add_argument("--no-warmup", action="store_true",
                        help="skip reading the corpus and the untimed zerodrift run before timing")
    parser.add_argument("--timeout", type=float, default=None, help="seconds before a run is killed")
    parser.add_argument("--zerodrift", metavar="CMD", help="zerodrift command (default: zerodrift on PATH, else python -m scanner)")
    parser.add_argument("--detect-secrets", dest="detect_secrets", metavar="CMD", help="detect-secrets command")
    parser.add_argument("--line-slack", type=int, default=0, metavar="N",
                        help="also count a finding up to N lines above a secret's line as finding it (default 0: exact line)")
    parser.add_argument("--details", action="store_true", help="also list missed secrets and every false-positive line")
    args = parser.parse_args(argv)
    if not args.corpus and not args.labelled:
        parser.error("give at least one CORPUS or --labelled DIR")
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    zd_base, zd_env = zerodrift_cmd(args.zerodrift)
    commands = {DS: (tool_argv(DS, detect_secrets_cmd(args.detect_secrets)), None),
                ZD: (tool_argv(ZD, zd_base), zd_env)}
    failed = False
    print(f"detect-secrets: `{shlex.join(commands[DS][0])}`  \nzerodrift: `{shlex.join(commands[ZD][0])}`  ")
    print(f"peak RSS via {'/usr/bin/time -f %M' if USE_GNU_TIME else 'os.wait4 rusage'} "
          "(largest single process of the tree, max over runs)")

    results = []
    for corpus in args.corpus:
        folder = Path(corpus).resolve()
        if not folder.is_dir():
            print(f"{corpus}: not a directory", file=sys.stderr)
            failed = True
            continue
        row = {"name": corpus, "stats": corpus_stats(folder, read=not args.no_warmup), "folder": folder}
        for tool, (cmd, env) in commands.items():
            print(f"... {tool} on {corpus} ({args.runs} runs)", file=sys.stderr, flush=True)
            warmup = tool == ZD and not args.no_warmup
            row[tool] = measure(tool, cmd, folder, env, args.runs, warmup, args.timeout)
            failed |= row[tool].error is not None
        results.append(row)

    if results:
        print(f"\n### Speed and memory (median of {args.runs} fresh runs)\n")
        print("| corpus | files | size | detect-secrets | zerodrift | speed-up (ds time / zd time) "
              "| ds peak RSS | zd peak RSS | ds findings | zd findings |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for row in results:
            ds, zd = row[DS], row[ZD]
            ratio = f"{ds.wall / zd.wall:.1f}x" if ds.wall and zd.wall else "n/a"
            files, size = row["stats"]
            nds = "n/a" if ds.findings is None else str(len(ds.findings))
            nzd = "n/a" if zd.findings is None else str(len(zd.findings))
            print(f"| {row['name']} | {files} | {size / 1e6:.1f} MB | {_fmt_s(ds.wall)} | {_fmt_s(zd.wall)} | {ratio} "
                  f"| {_fmt_mb(ds.peak_kb)} | {_fmt_mb(zd.peak_kb)} | {nds} | {nzd} |")
        for row in results:
            for tool in (DS, ZD):
                if row[tool].error:
                    print(f"\n{tool} on {row['name']} FAILED: {row[tool].error}")
        for row in results:
            truth = load_truth(row["folder"])
            if truth is None:
                continue
            scores = {t: score(row[t].findings, *truth, slack=args.line_slack) for t in (DS, ZD) if row[t].findings is not None}
            errors = {t: "see the failure above" for t in (DS, ZD) if row[t].findings is None}
            print_accuracy(f"Planted secrets in {row['name']}", scores, errors, args.details)

    if args.labelled:
        folder = Path(args.labelled).resolve()
        truth = load_truth(folder)
        if truth is None or not (folder / "labels.yaml").is_file():
            print(f"{args.labelled}: no labels.yaml", file=sys.stderr)
            return 2
        scores, errors, walls = {}, {}, {}
        for tool, (cmd, env) in commands.items():
            m = measure(tool, cmd, folder, env, 1, False, args.timeout)
            if m.error:
                errors[tool] = m.error
                failed = True
            else:
                scores[tool] = score(m.findings, *truth, slack=args.line_slack)
                walls[tool] = m.wall
        secrets, not_secrets = truth
        nfiles = len({p.relative_to(folder) for p in folder.rglob("*") if p.is_file()} - {Path("labels.yaml")})
        title = (f"Labelled set {args.labelled}: {nfiles} files, {len(secrets)} secrets "
                 f"({len(Counter(s['kind'] for s in secrets))} kinds), {len(not_secrets)} labelled look-alikes")
        print_accuracy(title, scores, errors, args.details, walls)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
