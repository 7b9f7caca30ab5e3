"""The README's quick start stays true: exactly two commands, and CI runs the second."""
from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _quick_start_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_quick_start_has_exactly_two_commands() -> None:
    commands = _quick_start_commands()
    assert len(commands) == 2
    assert "zerodrift scan examples/" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert f'TEST_COMMAND="{_quick_start_commands()[1]}"' in ci


def test_quick_start_demo_runs_the_drift_pair(capsys, monkeypatch) -> None:
    """The drift part of the first command works as written and finds the demo's drift."""
    import json
    import shlex

    from scanner.cli import main

    drift = _quick_start_commands()[0].split("; ", 1)[1].rstrip(")")
    argv = shlex.split(drift)
    assert argv[0] == "zerodrift"
    monkeypatch.chdir(REPO)
    assert main(argv[1:] + ["--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert {"compliance_drift", "missing", "changed"} <= {f["drift"]["kind"] for f in report["findings"]}
