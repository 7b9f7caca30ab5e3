from __future__ import annotations

from pathlib import Path

import pytest

from scanner.discovery import discover
from scanner.discovery import format_by_name


@pytest.mark.parametrize("rel,fmt", [
    ("main.tf", "terraform"), ("x/main.tf.json", "terraform"), ("prod.tfvars", "terraform"),
    ("Dockerfile", "dockerfile"), ("svc/Dockerfile.prod", "dockerfile"), ("app.dockerfile", "dockerfile"), ("Containerfile", "dockerfile"),
    ("docker-compose.yml", "compose"), ("docker-compose.prod.yaml", "compose"), ("compose.yaml", "compose"),
    (".github/workflows/ci.yml", "workflow"), ("sub/.github/workflows/x.yaml", "workflow"),
    ("k8s/deploy.yaml", None), ("plan.json", None), ("stack.template", None),
    ("README.md", False), ("main.py", False), (".github/dependabot.yml", None),
])
def test_format_by_name(rel: str, fmt) -> None:
    assert format_by_name(rel) == fmt


def _names(tmp_path: Path, excludes=()) -> list[str]:
    diags: list = []
    return sorted(c.rel for c in discover([str(tmp_path)], str(tmp_path), tuple(excludes), diags))


def test_gitignore_default_excludes_and_exclude_globs(tmp_path: Path) -> None:
    for rel in ["main.tf", "build/out.tf", "keep/build.tf", ".terraform/modules/m/main.tf", "node_modules/x/main.tf",
                "nested/.gitignore", "nested/secret.tf", "nested/ok.tf", "vendor/v.tf", "docs/notes.md"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    (tmp_path / ".gitignore").write_text("build/\n")
    (tmp_path / "nested/.gitignore").write_text("secret.tf\n")
    assert _names(tmp_path, ["vendor"]) == ["keep/build.tf", "main.tf", "nested/ok.tf"]


def test_gitignore_negation(tmp_path: Path) -> None:
    for rel in ["a.tf", "b.tf"]:
        (tmp_path / rel).write_text("")
    (tmp_path / ".gitignore").write_text("*.tf\n!b.tf\n")
    assert _names(tmp_path) == ["b.tf"]


def test_directory_symlinks_are_not_followed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "main.tf").write_text("")
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    assert _names(tmp_path) == ["real/main.tf"]


def test_explicit_file_and_output_is_sorted(tmp_path: Path) -> None:
    for rel in ["z.tf", "a/b.tf", "a.tf"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    assert _names(tmp_path) == ["a.tf", "a/b.tf", "z.tf"]
    only = list(discover([str(tmp_path / "z.tf")], str(tmp_path)))
    assert [c.rel for c in only] == ["z.tf"]


def test_helm_chart_templates_get_a_clear_diagnostic_instead_of_a_yaml_error(tmp_path: Path) -> None:
    from scanner.api import scan
    from scanner.config import ScanConfig

    chart = tmp_path / "chart"
    (chart / "templates" / "tests").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 1.0.0\n")
    (chart / "templates" / "deploy.yaml").write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n")
    (chart / "templates" / "tests" / "t.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-test\n")
    (tmp_path / "templates").mkdir()  # not a chart: parsed (and failing) as usual
    (tmp_path / "templates" / "x.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ bad\n")
    result = scan([str(tmp_path)], ScanConfig(root=str(tmp_path)))
    reasons = {d.file: d.reason for d in result.diagnostics}
    assert reasons["chart/templates/deploy.yaml"].startswith("Helm chart template not scanned")
    assert reasons["chart/templates/tests/t.yaml"].startswith("Helm chart template not scanned")
    assert reasons["templates/x.yaml"].startswith("invalid YAML")


def test_excludes_apply_to_files_named_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "x.tf").write_text("")
    (tmp_path / "main.tf").write_text("")
    found = [c.rel for c in discover([str(tmp_path / "vendor" / "x.tf"), str(tmp_path / "main.tf")], str(tmp_path), ("vendor",))]
    assert found == ["main.tf"]
