"""Secrets in git history, on a real repository made by the test."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scanner.errors import UsageError
from scanner.secrets.history import scan_history
from testhelpers import git as _git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

# fake, format-valid tokens built at run time so this file holds no literal secret
TOKEN_A = "ghp_" + "Zq8vB3nR7tY1uI5oP2aS6dF9gH4jK0lM3nB7"
TOKEN_B = "ghp_" + "Xw4eR6tY8uI0oP2aS4dF6gH8jK0lZ2xC4vB6"




@pytest.fixture
def repo(tmp_path: Path) -> Path:
    _git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "app.py").write_text("print('hello')\n")
    _git(tmp_path, "add", "."); _git(tmp_path, "commit", "-qm", "first")  # noqa: E702
    (tmp_path / "app.py").write_text(f"print('hello')\nTOKEN = \"{TOKEN_A}\"\n")
    _git(tmp_path, "commit", "-qam", "add token A")
    (tmp_path / "app.py").write_text("print('hello')\nTOKEN = os.environ['TOKEN']\n")
    (tmp_path / "deploy.sh").write_text(f"#!/bin/sh\n\ncurl -H 'Authorization: token {TOKEN_B}' https://api.github.com\n")
    _git(tmp_path, "add", "."); _git(tmp_path, "commit", "-qm", "remove A, add B")  # noqa: E702
    return tmp_path


def test_first_introduction_and_presence_at_head(repo: Path) -> None:
    found = scan_history(str(repo))
    rows = sorted((i.file, i.line, i.hit.detector, i.at_head, i.hit.masked) for i in found)
    assert rows == [("app.py", 2, "github-token", False, "ghp_…"), ("deploy.sh", 3, "github-token", True, "ghp_…")]
    commits = _git(repo, "log", "--format=%H").split()
    by_file = {i.file: i.commit for i in found}
    assert by_file == {"app.py": commits[1], "deploy.sh": commits[0]}


def test_since_and_max_commits(repo: Path) -> None:
    first = _git(repo, "rev-list", "--max-parents=0", "HEAD")
    assert {i.file for i in scan_history(str(repo), since="HEAD~1")} == {"deploy.sh"}
    assert {i.file for i in scan_history(str(repo), max_commits=1)} == {"deploy.sh"}
    assert len(scan_history(str(repo), since=first)) == 2


def test_bad_revision_is_a_usage_error(repo: Path) -> None:
    with pytest.raises(UsageError):
        scan_history(str(repo), since="--output=/tmp/x")
    with pytest.raises(UsageError):
        scan_history(str(repo), since="no-such-ref")


def test_history_output_never_contains_the_secret(repo: Path, capsys) -> None:
    from scanner.cli import main

    main(["secrets", "history", str(repo), "--format", "json"])
    main(["secrets", "history", str(repo)])
    out = capsys.readouterr()
    assert TOKEN_A not in out.out + out.err and TOKEN_B not in out.out + out.err
