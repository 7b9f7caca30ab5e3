"""A hostile or broken live side is one clear line and exit 2, never a crash,
a hang or a traceback; a broken template is a diagnostic and the drift goes on."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scanner.cli import main

REPO = Path(__file__).resolve().parents[2]
K8S_DEMO = REPO / "examples" / "drift" / "kubernetes"

ALIAS_BOMB = "apiVersion: v1\nkind: List\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" + "".join(
    f"{chr(99 + i)}: &{chr(99 + i)} [*{chr(98 + i)}, *{chr(98 + i)}, *{chr(98 + i)}, *{chr(98 + i)}, *{chr(98 + i)}, *{chr(98 + i)}, *{chr(98 + i)}, *{chr(98 + i)}, *{chr(98 + i)}]\n"
    for i in range(8)) + "items: [*j]\n"


@pytest.mark.parametrize("name,content,fragment", [
    ("binary.json", b"\x00\x01\x02{" * 100, "binary"),
    ("bomb.yaml", ALIAS_BOMB.encode(), "alias"),
    ("deep.json", b'{"apiVersion": "v1", "kind": "List", "items": ' + b"[" * 20000 + b"]" * 20000 + b"}", ""),
    ("deep-plan.json", b'{"format_version": "1.2", "resource_drift": ' + b"[" * 20000 + b"]" * 20000 + b"}", ""),
    ("latin1.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\xe9}\n".encode("latin-1"), "UTF-8"),
    ("empty.yaml", b"", "not a Kubernetes export"),
])
def test_hostile_live_files(tmp_path: Path, monkeypatch, capsys, name: str, content: bytes, fragment: str) -> None:
    shutil.copy(K8S_DEMO / "manifests.yaml", tmp_path / "manifests.yaml")
    (tmp_path / name).write_bytes(content)
    monkeypatch.chdir(tmp_path)
    code = main(["drift", "--template", "manifests.yaml", "--live", name, "--source",
                 "terraform-plan" if name.startswith("deep-plan") else "kubernetes"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("zerodrift: error: ")
    assert fragment.lower() in err.lower()


def test_a_broken_template_is_a_diagnostic_and_the_drift_goes_on(tmp_path: Path, monkeypatch, capsys) -> None:
    shutil.copy(K8S_DEMO / "manifests.yaml", tmp_path / "manifests.yaml")
    shutil.copy(K8S_DEMO / "live-export.json", tmp_path / "live.json")
    (tmp_path / "broken.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n")
    monkeypatch.chdir(tmp_path)
    code = main(["drift", "--template", ".", "--live", "live.json", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [d["file"] for d in report["diagnostics"]] == ["broken.yaml"]
    assert any(f["rule_id"] == "ZD-K8S-001" for f in report["findings"])  # the rest was compared
