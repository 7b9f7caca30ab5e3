"""Diff-only gating on a real git repository: only findings on added or changed
lines fail; the rest stay in the report as notes. New and renamed files work."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scanner.cli import main
from testhelpers import git as _git
from testhelpers import OPEN_SG_TEMPLATE

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

OPEN = OPEN_SG_TEMPLATE




@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    _git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "old.tf").write_text(OPEN.format(name="old"))
    (tmp_path / "moved.tf").write_text(OPEN.format(name="moved"))
    _git(tmp_path, "add", "."); _git(tmp_path, "commit", "-qm", "base")  # noqa: E702
    _git(tmp_path, "checkout", "-qb", "feature")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _report(capsys, *args: str) -> tuple[int, dict]:
    code = main(["scan", ".", "--format", "json", "--no-secrets", *args])
    return code, json.loads(capsys.readouterr().out)


def test_only_findings_on_changed_lines_fail(repo: Path, capsys) -> None:
    code, report = _report(capsys, "--diff-base", "main")
    assert code == 0 and {f["in_diff"] for f in report["findings"]} == {False}
    # a new file, a changed line in an old file, and a renamed file left as it was
    (repo / "new.tf").write_text(OPEN.format(name="new"))
    (repo / "old.tf").write_text(OPEN.format(name="old").replace('"0.0.0.0/0"]', '"0.0.0.0/0", "10.0.0.0/8"]'))
    _git(repo, "mv", "moved.tf", "renamed.tf")
    _git(repo, "add", "-A"); _git(repo, "commit", "-qm", "change")  # noqa: E702
    code, report = _report(capsys, "--diff-base", "main")
    assert code == 1
    by_file = {(f["file"], f["rule_id"]): f["in_diff"] for f in report["findings"]}
    assert by_file == {("new.tf", "ZD-AWS-001"): True, ("old.tf", "ZD-AWS-001"): True, ("renamed.tf", "ZD-AWS-001"): False}
    assert report["summary"]["failing"] == 2


def test_untracked_files_count_as_new_and_notes_in_sarif(repo: Path, capsys) -> None:
    (repo / "draft.tf").write_text(OPEN.format(name="draft"))
    assert main(["scan", ".", "--format", "sarif", "--no-secrets", "--diff-base", "main"]) == 1
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    levels = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r["level"] for r in results}
    assert levels == {"draft.tf": "error", "moved.tf": "note", "old.tf": "note"}
    main(["scan", ".", "--no-secrets", "--diff-base", "main"])
    assert "outside the diff: not failing" in capsys.readouterr().out


def test_bad_revision_is_a_usage_error(repo: Path, capsys) -> None:
    assert main(["scan", ".", "--diff-base", "no-such-branch"]) == 2
    assert "--diff-base" in capsys.readouterr().err
    assert main(["scan", ".", "--diff-base", "--output=x"]) == 2
