"""The state reader on a state written by the real ``terraform`` binary
(built-in ``terraform_data`` only: no provider download, no network).
Skipped when ``terraform`` is not installed."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from scanner.api import collect_resources
from scanner.config import ScanConfig
from scanner.drift.model import CHANGED
from scanner.drift.sources.tfstate import TerraformStateSource
from scanner.model import format_path

TERRAFORM = shutil.which("terraform")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(TERRAFORM is None, reason="terraform binary not installed")]

MAIN = """
variable "pw" {
  type      = string
  sensitive = true
}
resource "terraform_data" "plain" {
  input = "hello"
}
resource "terraform_data" "secret" {
  input = { user = "admin", password = var.pw, ports = [22, 443] }
}
resource "terraform_data" "counted" {
  count = 2
  input = count.index
}
resource "terraform_data" "each" {
  for_each = toset(["a", "b"])
  input    = { name = each.key, list = [var.pw] }
}
module "child" {
  source = "./child"
}
"""
CHILD = """
resource "terraform_data" "inner" {
  input            = ["x", "y"]
  triggers_replace = { k = "v" }
}
"""


def _terraform(workdir: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    config = workdir.parent / "terraformrc"
    config.write_text("")
    env.update(TF_CLI_CONFIG_FILE=str(config), CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1", TF_INPUT="0",
               TF_VAR_pw="hunter2-generated")
    done = subprocess.run([TERRAFORM, *args], cwd=workdir, env=env, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def applied(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("tfgen") / "root"
    (workdir / "child").mkdir(parents=True)
    (workdir / "main.tf").write_text(MAIN)
    (workdir / "child" / "main.tf").write_text(CHILD)
    _terraform(workdir, "init", "-input=false", "-no-color")
    _terraform(workdir, "apply", "-auto-approve", "-input=false", "-no-color")
    _terraform(workdir, "taint", "-no-color", "terraform_data.plain")
    version = json.loads(_terraform(workdir, "version", "-json"))["terraform_version"]
    templates, diagnostics, _ = collect_resources([str(workdir)], ScanConfig(root=str(workdir)))
    assert diagnostics == []
    return workdir, templates, version


def test_a_generated_state_is_read_in_sync_with_its_templates(applied) -> None:
    workdir, templates, version = applied
    source = TerraformStateSource()
    snap = source.load(str(workdir / "terraform.tfstate"), templates)
    assert (snap.properties["last_known"], snap.properties["terraform_version"]) == (True, version)
    assert snap.diagnostics == []
    objs = {o.address: o for o in snap.objects}
    assert sorted(objs) == [
        "module.child.terraform_data.inner", "terraform_data.counted[0]", "terraform_data.counted[1]",
        'terraform_data.each["a"]', 'terraform_data.each["b"]', "terraform_data.plain", "terraform_data.secret",
    ]
    assert objs["terraform_data.counted[1]"].key == "terraform_data.counted"
    assert objs["terraform_data.plain"].note == "tainted: Terraform will replace it on the next apply"
    assert objs["terraform_data.plain"].attributes["input"] == "hello"  # DynamicPseudoType unwrapped
    assert objs["module.child.terraform_data.inner"].attributes["triggers_replace"] == {"k": "v"}
    assert objs["terraform_data.secret"].sensitive == (("input", "password"), ("output", "password"))
    assert objs['terraform_data.each["a"]'].sensitive == (("input", "list", 0), ("output", "list", 0))
    assert objs["terraform_data.plain"].native_id == objs["terraform_data.plain"].attributes["id"] != ""
    by_key = {source.template_key(t): t for t in templates}
    for obj in snap.objects:
        assert source.compare(by_key[obj.key], obj) == [], obj.address
    assert snap.inspected == set(by_key) - {None}


def test_an_edited_generated_state_shows_the_drift_and_the_unmanaged_object(applied, tmp_path) -> None:
    workdir, templates, _ = applied
    state = json.loads((workdir / "terraform.tfstate").read_text())
    for res in state["resources"]:
        if res["name"] == "secret":
            res["instances"][0]["attributes"]["input"]["value"]["user"] = "root"
    edited = tmp_path / "terraform.tfstate"
    edited.write_text(json.dumps(state, indent=2))
    source = TerraformStateSource()
    kept = [t for t in templates if t.name != "terraform_data.plain"]
    snap = source.load(str(edited), kept)
    objs = {o.address: o for o in snap.objects}
    (secret,) = [t for t in kept if t.name == "terraform_data.secret"]
    assert [(c.kind, format_path(c.path), c.desired, c.live) for c in source.compare(secret, objs["terraform_data.secret"])] == [
        (CHANGED, "input.user", "admin", "root")]
    keys = {source.template_key(t) for t in kept}
    assert sorted({o.key for o in snap.objects} - keys) == ["terraform_data.plain"]
