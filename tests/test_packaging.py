"""The wheel carries every subpackage, the schemas, and the rules and policies as data."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_contents(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path), str(REPO)],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheel = next(tmp_path.glob("zerodrift-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {str(p.parent.relative_to(REPO)).replace("\\", "/") for p in (REPO / "scanner").rglob("__init__.py")}
    for package in packages:
        assert f"{package}/__init__.py" in names, package
    assert "scanner/schemas/rule.schema.json" in names
    for rule in (REPO / "rules").rglob("*.yaml"):
        assert f"scanner/_data/rules/{rule.relative_to(REPO / 'rules').as_posix()}" in names
    assert "scanner/_data/policies/default.yaml" in names
    assert not any(n.startswith("tests/") for n in names), "fixtures with fake secrets stay out of the wheel"
