"""The plan reader against real Terraform output (shared/docs/drift.md 11.1).

A fake provider (tests/drift/fakecloud/provider.py, on PyPI ``tf``) keeps its
"cloud" in a JSON file. ``terraform apply`` creates a security group and two
buckets; the cloud file is then edited by hand (out-of-band drift); real
``terraform plan -refresh-only`` and ``terraform plan`` outputs rendered by
``terraform show -json`` go through ``zerodrift drift`` in-process.

Skips when ``terraform`` is not on PATH or ``tf`` (Python >= 3.11) is not
installed. No network: the provider is loaded through a CLI config
``dev_overrides`` entry, so there is no ``terraform init``, and
``CHECKPOINT_DISABLE`` stops Terraform's version check.
"""
from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scanner.cli import main

pytestmark = pytest.mark.slow

PROVIDER = Path(__file__).resolve().parent / "fakecloud" / "provider.py"

MAIN_TF = """\
terraform {
  required_providers {
    fakecloud = {
      source = "example.com/zd/fakecloud"
    }
  }
}

resource "fakecloud_security_group" "web" {
  name          = "web"
  ingress_port  = 443
  ingress_cidrs = ["10.0.0.0/16"]
}

resource "fakecloud_bucket" "logs" {
  bucket              = "zd-logs"
  sse_algorithm       = "aws:kms"
  block_public_access = true
}

resource "fakecloud_bucket" "assets" {
  bucket = "zd-assets"
}
"""


def _terraform(workdir: Path, env: dict[str, str], *args: str, stdout: Path | None = None) -> None:
    done = subprocess.run(["terraform", *args], cwd=workdir / "infra", env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"terraform {' '.join(args)} failed:\n{done.stderr}\n{done.stdout}"
    if stdout is not None:
        stdout.write_text(done.stdout)


@pytest.fixture(scope="module")
def real_plans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding infra/main.tf, infra/refresh.json (refresh-only
    plan), infra/plan.json (normal plan) and cloud.json, after drift."""
    if shutil.which("terraform") is None:
        pytest.skip("terraform is not on PATH")
    pytest.importorskip("tf.runner", reason="PyPI 'tf' (Python >= 3.11) is needed for the fake provider")
    work = tmp_path_factory.mktemp("real-terraform")
    (work / "infra").mkdir()
    (work / "infra" / "main.tf").write_text(MAIN_TF)
    bin_dir = work / "bin"
    bin_dir.mkdir()
    launcher = bin_dir / "terraform-provider-fakecloud"
    launcher.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} {shlex.quote(str(PROVIDER))} "$@"\n')
    launcher.chmod(0o755)
    (work / "cli.tfrc").write_text(
        'provider_installation {\n  dev_overrides {\n    "example.com/zd/fakecloud" = %s\n  }\n  direct {}\n}\n'
        % json.dumps(str(bin_dir)))
    cloud = work / "cloud.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    env.update(TF_CLI_CONFIG_FILE=str(work / "cli.tfrc"), FAKECLOUD_FILE=str(cloud), HOME=str(work),
               CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1", TF_INPUT="0")

    _terraform(work, env, "apply", "-auto-approve", "-no-color")
    live = json.loads(cloud.read_text())
    assert live["security_groups"] == {"sg-0001": {"name": "web", "ingress_port": 443, "ingress_cidrs": ["10.0.0.0/16"]}}
    assert sorted(live["buckets"]) == ["zd-assets", "zd-logs"]

    # out of band: SG opened to the world on 22, logs bucket loses encryption
    # and its public-access block, assets bucket deleted, a bucket made by hand
    live["security_groups"]["sg-0001"].update(ingress_port=22, ingress_cidrs=["10.0.0.0/16", "0.0.0.0/0"])
    del live["buckets"]["zd-logs"]["sse_algorithm"]
    live["buckets"]["zd-logs"]["block_public_access"] = False
    del live["buckets"]["zd-assets"]
    live["buckets"]["zd-handmade"] = {"bucket": "zd-handmade", "block_public_access": False}
    cloud.write_text(json.dumps(live))

    _terraform(work, env, "plan", "-refresh-only", "-out=refresh.tfplan", "-no-color")
    _terraform(work, env, "show", "-json", "refresh.tfplan", stdout=work / "infra" / "refresh.json")
    _terraform(work, env, "plan", "-out=normal.tfplan", "-no-color")
    _terraform(work, env, "show", "-json", "normal.tfplan", stdout=work / "infra" / "plan.json")
    return work


def _drift(monkeypatch, capsys, work: Path, plan: str, *args: str) -> tuple[int, dict]:
    monkeypatch.chdir(work)
    code = main(["drift", "--template", "infra", "--live", f"infra/{plan}", "--format", "json", *args])
    out, _ = capsys.readouterr()
    return code, json.loads(out)


def _rows(report: dict) -> list[tuple]:
    return [(f["rule_id"], f["severity"], f["file"], f["line"], f["resource"], f["drift"]["kind"], f["drift"]["path"],
             f["drift"].get("desired"), f["drift"].get("live")) for f in report["findings"]]


# The fake attribute names are in no policy rule and in no ZD-DRIFT-001
# catalog entry (the catalog names aws_*/azurerm_*/google_* types), so every
# attribute drift grades as ZD-DRIFT-002 low even though the same change on
# aws_security_group.ingress or an S3 encryption resource would be medium;
# the deleted bucket is ZD-DRIFT-004 medium (fakecloud_bucket is not a
# protective type). Nothing else: not the computed `id`, not the unchanged
# `name`/`bucket`, not the hand-made bucket (a plan never sees unmanaged
# objects; that takes a live reader).
EXPECTED = [
    ("ZD-DRIFT-002", "low", "infra/main.tf", 11, "fakecloud_security_group.web", "changed", "ingress_port", 443, 22),
    ("ZD-DRIFT-002", "low", "infra/main.tf", 12, "fakecloud_security_group.web", "added_in_live", "ingress_cidrs[1]", None, "0.0.0.0/0"),
    ("ZD-DRIFT-002", "low", "infra/main.tf", 17, "fakecloud_bucket.logs", "removed_in_live", "sse_algorithm", "aws:kms", None),
    ("ZD-DRIFT-002", "low", "infra/main.tf", 18, "fakecloud_bucket.logs", "changed", "block_public_access", True, False),
    ("ZD-DRIFT-004", "medium", "infra/main.tf", 21, "fakecloud_bucket.assets", "missing", "", None, None),
]


def test_real_refresh_only_plan_has_the_documented_shape(real_plans: Path) -> None:
    """What docs/drift.md section 3 says, checked on Terraform's own output."""
    plan = json.loads((real_plans / "infra" / "refresh.json").read_text())
    assert "resource_changes" not in plan and plan["format_version"] == "1.2"
    drift = {e["address"]: e for e in plan["resource_drift"]}
    assert sorted(drift) == ["fakecloud_bucket.assets", "fakecloud_bucket.logs", "fakecloud_security_group.web"]
    gone = drift["fakecloud_bucket.assets"]["change"]
    assert (gone["actions"], gone["after"], gone["after_sensitive"]) == (["delete"], None, False)  # a bool, not a mask
    sg = drift["fakecloud_security_group.web"]["change"]
    assert (sg["actions"], sg["before"]["ingress_cidrs"], sg["after"]["ingress_cidrs"]) == (
        ["update"], ["10.0.0.0/16"], ["10.0.0.0/16", "0.0.0.0/0"])
    assert sg["after_sensitive"] == {"ingress_cidrs": [False, False]}  # masks mirror lists with false leaves
    logs = drift["fakecloud_bucket.logs"]["change"]["after"]
    assert (logs["sse_algorithm"], logs["block_public_access"]) == (None, False)  # a removed key comes back as null
    # prior_state is live: drifted values in, the deleted bucket out
    prior = {r["address"]: r["values"] for r in plan["prior_state"]["values"]["root_module"]["resources"]}
    assert sorted(prior) == ["fakecloud_bucket.logs", "fakecloud_security_group.web"]
    assert prior["fakecloud_security_group.web"]["ingress_port"] == 22


def test_refresh_only_plan_yields_exactly_the_drift(real_plans: Path, monkeypatch, capsys) -> None:
    code, report = _drift(monkeypatch, capsys, real_plans, "refresh.json")
    assert code == 0  # nothing at or above the default --fail-on high
    assert _rows(report) == EXPECTED
    assert report["drift"]["counts"] == {"changed": 2, "default": 0, "in_sync": 0, "missing": 1, "not_inspected": 0, "unmanaged": 0}
    assert report["drift"]["terraform_version"] == terraform_version(real_plans)
    by_path = {f["drift"]["path"]: f for f in report["findings"]}
    assert by_path["ingress_port"]["drift"]["native_id"] == "sg-0001"
    assert by_path[""]["drift"]["native_id"] == "zd-assets"
    # a refresh-only plan has no resource_changes, so no "what the plan does" sentence
    assert all("(The plan" not in f["fix"] for f in report["findings"])
    assert "set ingress_port = 22 in infra/main.tf:11" in by_path["ingress_port"]["fix"]
    assert "removed { from = fakecloud_bucket.assets" in by_path[""]["fix"]
    assert "zd-handmade" not in json.dumps(report)
    assert _drift(monkeypatch, capsys, real_plans, "refresh.json", "--fail-on", "medium")[0] == 1


def test_normal_plan_yields_the_same_drift_and_says_what_apply_does(real_plans: Path, monkeypatch, capsys) -> None:
    plan = json.loads((real_plans / "infra" / "plan.json").read_text())
    actions = {c["address"]: c["change"]["actions"] for c in plan["resource_changes"]}
    assert actions == {"fakecloud_bucket.assets": ["create"], "fakecloud_bucket.logs": ["update"], "fakecloud_security_group.web": ["update"]}
    _, report = _drift(monkeypatch, capsys, real_plans, "plan.json")
    assert _rows(report) == EXPECTED
    fixes = {f["drift"]["path"]: f["fix"] for f in report["findings"]}
    for path in ("ingress_port", "ingress_cidrs[1]", "sse_algorithm", "block_public_access"):
        assert fixes[path].endswith("(The plan updates it in place back to the templates.)"), path
    assert fixes[""].endswith("(The plan re-creates it.)")


def terraform_version(work: Path) -> str:
    return json.loads((work / "infra" / "refresh.json").read_text())["terraform_version"]
