"""No output ever contains a detected secret in full: every report format, the
text on stderr, diagnostics for broken files, suppressed findings and the
baseline file. Secrets are generated per run (format-valid, random), so the
repository itself holds none."""
from __future__ import annotations

import json
import random
import string
from pathlib import Path

import pytest

from scanner.cli import FORMATS
from scanner.cli import main


def _rand(alphabet: str, n: int, rng: random.Random) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


@pytest.fixture
def secrets_dir(tmp_path: Path, monkeypatch) -> tuple[Path, list[str]]:
    rng = random.Random(4242)
    alnum = string.ascii_letters + string.digits
    upper = string.ascii_uppercase + string.digits
    b64 = alnum + "+/"
    values = {
        "aws_id": "AKIA" + _rand(upper, 16, rng),
        "aws_secret": _rand(b64, 40, rng),
        "github": "ghp_" + _rand(alnum, 36, rng),
        "gitlab": "glpat-" + _rand(alnum, 20, rng),
        "google": "AIza" + _rand(alnum, 35, rng),
        "stripe": "sk_live_" + _rand(alnum, 24, rng),
        "slack_hook": f"https://hooks.slack.com/services/T{_rand(upper, 8, rng)}/B{_rand(upper, 8, rng)}/{_rand(alnum, 24, rng)}",
        "password": "Pw-" + _rand(alnum, 14, rng),
        "db_password": _rand(alnum, 16, rng),
        "npm": "npm_" + _rand(alnum, 36, rng),
        "k8s_password": "K8s" + _rand(alnum, 13, rng),
        "docker_env": "Dk" + _rand(alnum, 18, rng),
        "hcl_password": "Hc" + _rand(alnum, 18, rng),
    }
    (tmp_path / ".env").write_text(
        f"AWS_ACCESS_KEY_ID={values['aws_id']}\nAWS_SECRET_ACCESS_KEY={values['aws_secret']}\n"
        f"GITHUB_TOKEN={values['github']}\nGITLAB_TOKEN={values['gitlab']}\nSTRIPE_KEY={values['stripe']}\n"
        f"SLACK_WEBHOOK={values['slack_hook']}\nADMIN_PASSWORD={values['password']}\nNPM_TOKEN={values['npm']}\n"
    )
    (tmp_path / "settings.py").write_text(f'GOOGLE_API_KEY = "{values["google"]}"\nDATABASE_URL = "postgres://app:{values["db_password"]}@db:5432/app"\n')
    (tmp_path / "deploy.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n"
        "        - name: api\n          image: nginx:1.25\n          env:\n            - name: DB_PASSWORD\n"
        f"              value: \"{values['k8s_password']}\"\n"
    )
    (tmp_path / "Dockerfile").write_text(f"FROM python:3.12\nENV API_TOKEN={values['docker_env']}\n")
    (tmp_path / "main.tf").write_text(f'resource "aws_db_instance" "db" {{\n  password = "{values["hcl_password"]}"\n}}\n')
    # broken files whose error is right at a secret
    (tmp_path / "broken.tf").write_text(f'resource "x" "y" {{\n  token = = "{values["github"]}"\n}}\n')
    (tmp_path / "broken.yaml").write_text(f"apiVersion: v1\nkind: Secret\nstringData:\n  token: [\"{values['gitlab']}\"\n")
    # one suppressed, to cover the suppressed section of every report
    (tmp_path / "suppressed.env").write_text(f"# zerodrift:ignore ZD-SECRET-017 reason=\"test fixture\"\nSERVICE_PASSWORD={values['password']}X\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path, list(values.values())


def test_no_format_leaks_a_secret(secrets_dir, capsys) -> None:
    folder, values = secrets_dir
    outputs: dict[str, str] = {}
    for fmt in FORMATS:
        code = main(["scan", ".", "--format", fmt, "--fail-on", "info"])
        captured = capsys.readouterr()
        assert code == 1
        outputs[fmt] = captured.out + captured.err
    assert main(["baseline", "create", ".", "-o", "baseline.json"]) == 0
    captured = capsys.readouterr()
    outputs["baseline"] = (folder / "baseline.json").read_text() + captured.out + captured.err
    report = json.loads(outputs["json"])
    assert len([f for f in report["findings"] if f["rule_id"].startswith("ZD-SECRET-")]) >= 10, "the secrets must be found"
    assert report["suppressed"], "the suppressed finding must be in the report"
    assert any(d["file"] == "broken.tf" for d in report["diagnostics"])
    for name, text in outputs.items():
        for value in values:
            assert value not in text, f"{name} output leaks a secret"
            assert value[:-4] not in text, f"{name} output leaks most of a secret"
