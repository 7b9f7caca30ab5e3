"""zerodrift and Checkov on the same corpus, side by side (docs/coverage.md).

    python bench/coverage.py CORPUS... --checkov /path/to/isolated/venv/bin/checkov

For each corpus: both tools' wall time (one fresh process each, same run),
their finding counts, which Checkov findings zerodrift also reports, which
it deliberately does not (bench/checkov_not_covered.yaml says why), which it
misses although it has an equivalent rule, and what only zerodrift finds.

Matching uses the rules' ``equivalents.checkov`` lists: a Checkov failure
(check id, file, line range) is "also reported" when zerodrift has a finding
of a rule listing that id, in the same file, on a line inside the range.
Checkov's secrets and SCA scans are left out (``--skip-framework secrets
sca_package sca_image``): zerodrift's secret detection is a separate feature.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scanner.engine.loader import load_rules  # noqa: E402

CHECKOV_ENV = {"BC_SKIP_MAPPING": "TRUE", "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "LOG_LEVEL": "ERROR"}


def run_checkov(checkov: str, corpus: Path) -> tuple[list[dict], float]:
    cmd = [checkov, "-d", str(corpus), "--quiet", "--compact", "-o", "json", "--skip-download",
           "--skip-framework", "secrets", "sca_package", "sca_image"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **CHECKOV_ENV}, check=False)
    elapsed = time.perf_counter() - start
    data = json.loads(proc.stdout or "[]")
    reports = data if isinstance(data, list) else [data]
    failed = []
    for report in reports:
        for check in (report.get("results") or {}).get("failed_checks", []):
            failed.append({
                "id": check["check_id"],
                "file": check["file_path"].lstrip("/"),
                "lines": tuple(check.get("file_line_range") or (0, 0)),
                "resource": check.get("resource", ""),
                "framework": report.get("check_type", ""),
            })
    return failed, elapsed


def run_zerodrift(corpus: Path) -> tuple[list[dict], float]:
    exe = shutil.which("zerodrift")
    cmd = [exe, "scan", ".", "--format", "json"] if exe else [sys.executable, "-m", "scanner", "scan", ".", "--format", "json"]
    subprocess.run(cmd, capture_output=True, cwd=corpus, check=False)  # warm the rule cache
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=corpus, check=False)
    elapsed = time.perf_counter() - start
    return json.loads(proc.stdout)["findings"], elapsed


def compare(corpus: Path, checkov: str, reasons: dict[str, str]) -> str:
    rules = load_rules()
    by_checkov: dict[str, set[str]] = {}
    for rule in rules.values():
        for ckv in rule.equivalents.get("checkov", []):
            by_checkov.setdefault(ckv, set()).add(rule.id)
    ck, ck_time = run_checkov(checkov, corpus)
    zd, zd_time = run_zerodrift(corpus)
    matched_zd: set[int] = set()
    also, missed, not_covered = [], [], Counter()
    for c in ck:
        ours = by_checkov.get(c["id"])
        if not ours:
            not_covered[c["id"]] += 1
            continue
        lo, hi = c["lines"]
        if lo == 0:  # Checkov reports whole-workflow findings as lines 0-1
            lo, hi = 0, 10**9
        hits = [i for i, f in enumerate(zd) if f["rule_id"] in ours and f["file"] == c["file"] and lo <= f["line"] <= hi]
        if hits:
            also.append(c)
            matched_zd.update(hits)
        else:
            missed.append(c)
    only_zd = [f for i, f in enumerate(zd) if i not in matched_zd]
    out = [f"### {corpus.name}", ""]
    out += ["| | Checkov | zerodrift |", "|---|---|---|"]
    out += [f"| wall time (same run) | {ck_time:.2f} s | {zd_time:.2f} s ({ck_time / zd_time:.1f}x faster) |"]
    out += [f"| failed checks / findings | {len(ck)} | {len(zd)} |"]
    out += [f"| Checkov findings zerodrift also reports | {len(also)} | |"]
    out += [f"| Checkov findings of checks zerodrift has an equivalent for, but missed | {len(missed)} | |"]
    out += [f"| Checkov findings of checks zerodrift does not implement | {sum(not_covered.values())} | |"]
    out += [f"| zerodrift findings Checkov does not report | | {len(only_zd)} |", ""]
    if missed:
        out += ["Missed despite an equivalent rule:", ""]
        for c in sorted(missed, key=lambda c: (c["id"], c["file"], c["lines"])):
            why = reasons.get(f"{c['id']} {c['resource']}") or reasons.get(c["id"], "")
            out.append(f"- {c['id']} ({', '.join(sorted(by_checkov[c['id']]))}) at {c['file']}:{c['lines'][0]} `{c['resource']}`" + (f": {why}" if why else ""))
        out.append("")
    if not_covered:
        out += ["Checkov checks without a zerodrift equivalent (count, and why where it is deliberate):", ""]
        for ckv, count in sorted(not_covered.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"- {ckv} × {count}: {reasons.get(ckv, 'not implemented yet')}")
        out.append("")
        deliberate = sum(count for ckv, count in not_covered.items() if ckv in reasons)
        out.append(f"Of these, {deliberate} are left out on purpose (reason given), {sum(not_covered.values()) - deliberate} are not implemented yet.")
        out.append("")
    if only_zd:
        counts = Counter(f["rule_id"] for f in only_zd)
        out += ["Reported only by zerodrift (rule × count):", ""]
        out += [f"- {rule_id} × {count}: {rules[rule_id].title}" for rule_id, count in sorted(counts.items())]
        out.append("")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpora", nargs="+")
    parser.add_argument("--checkov", required=True)
    args = parser.parse_args()
    reasons_file = Path(__file__).with_name("checkov_not_covered.yaml")
    reasons = yaml.safe_load(reasons_file.read_text()) if reasons_file.is_file() else {}
    for corpus in args.corpora:
        print(compare(Path(corpus).resolve(), args.checkov, reasons or {}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
