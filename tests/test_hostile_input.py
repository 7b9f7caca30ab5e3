"""Bad input never crashes the scan: each bad file gets a diagnostic, good files still get findings.

The small hostile files are committed under tests/fixtures/hostile/; the large
ones (a 50 MB file, 10,000-deep nesting) and the symlink loop are made per test.
The end-to-end case runs the real CLI in a subprocess under an address-space
limit and a timeout, so "bounded time and memory" is enforced, not measured.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scanner.api import scan
from scanner.config import ScanConfig

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(HOSTILE, root)
    (root / "deep.yaml").write_text("apiVersion: v1\nkind: ConfigMap\ndata: " + "[" * 10_000 + "]" * 10_000 + "\n")
    (root / "deep.json").write_text('{"apiVersion": "v1", "kind": "List", "items": ' + "[" * 10_000 + "]" * 10_000 + "}\n")
    (root / "deep.tf").write_text("locals {\n  a = " + "{b = " * 10_000 + "1" + "}" * 10_000 + "\n}\n")
    with open(root / "huge.tf", "wb") as fh:  # 50 MB
        line = b'# padding padding padding padding padding padding padding padding padding\n'
        fh.write(line * (50 * 1024 * 1024 // len(line) + 1))
    os.mkdir(root / "loop")
    os.symlink("../loop", root / "loop" / "self")  # a directory symlink loop
    os.symlink("b.tf", root / "a.tf")  # a file symlink loop: a.tf -> b.tf -> a.tf
    os.symlink("a.tf", root / "b.tf")
    return root


EXPECTED_DIAGNOSTICS = {
    "a.tf": "broken or looping symbolic link",
    "alias-bomb.yaml": "alias bomb",
    "b.tf": "broken or looping symbolic link",
    "binary.tf": "binary file",
    "deep.json": "nesting deeper than",
    "deep.tf": "nested too deeply",
    "deep.yaml": "nesting deeper than",
    "huge.tf": "over the 10485760-byte limit",
    "invalid.tf": "invalid HCL",
    "latin1.yaml": "not valid UTF-8",
    "truncated-cfn.json": "invalid JSON",
    "truncated.yaml": "invalid YAML",
}


def test_every_bad_file_gets_a_diagnostic_and_good_files_still_scan(corpus: Path) -> None:
    result = scan([str(corpus)], ScanConfig(root=str(corpus)))
    got = {d.file: d.reason for d in result.diagnostics}
    assert sorted(got) == sorted(EXPECTED_DIAGNOSTICS)
    for file, fragment in EXPECTED_DIAGNOSTICS.items():
        assert fragment in got[file], (file, got[file])
    assert not any("internal error" in d.reason for d in result.diagnostics)
    # empty files are valid input: no diagnostic, no finding, no crash
    assert "empty.tf" not in got and "Dockerfile" not in got
    # the good files are still scanned: good.tf, and the (harmless) Pod in python-tag.yaml
    assert ("ZD-AWS-001", "good.tf", 6) in [(f.rule_id, f.file, f.line) for f in result.findings]
    assert {f.file for f in result.findings} == {"good.tf", "python-tag.yaml"}


def test_diagnostics_carry_the_line_where_known(corpus: Path) -> None:
    result = scan([str(corpus)], ScanConfig(root=str(corpus)))
    lines = {d.file: d.line for d in result.diagnostics}
    assert lines["invalid.tf"] == 3
    assert lines["truncated.yaml"] == 11
    assert lines["latin1.yaml"] == 4
    assert lines["alias-bomb.yaml"] is not None


def test_python_tags_are_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n"
        f"spec: !!python/object/apply:os.system [\"touch {marker}\"]\n"
    )
    scan([str(tmp_path)], ScanConfig(root=str(tmp_path)))
    assert not marker.exists()


@pytest.mark.slow
def test_cli_finishes_within_memory_and_time_limits(corpus: Path) -> None:
    """The real CLI over the whole corpus, limited to 1 GiB of address space and 120 s."""
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from scanner.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "scan", str(corpus), "--format", "json"],
        capture_output=True, text=True, timeout=120, cwd=corpus,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    assert proc.returncode == 1, proc.stderr  # one high finding in good.tf
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    assert report["summary"]["diagnostics"] == len(EXPECTED_DIAGNOSTICS)
    assert {f["file"] for f in report["findings"]} == {"good.tf", "python-tag.yaml"}
