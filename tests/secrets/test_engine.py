"""The secrets engine on real text: detectors, de-duplication and false-positive cases."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.secrets.detectors import DETECT_SECRETS_TYPES
from scanner.secrets.detectors import OWN
from scanner.secrets.engine import scan_text

REPO = Path(__file__).resolve().parents[2]
RNG_B64 = "Zq8vB3nR7tY1uI5oP2aS6dF9gH4jK0lM3nB7vC1x"  # not a real key: generated


def test_every_detect_secrets_type_is_mapped_and_the_schema_knows_every_detector() -> None:
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    assert set(get_mapping_from_secret_type_to_class()) <= set(DETECT_SECRETS_TYPES)
    ids = {d.id for d in OWN} | {v for v in DETECT_SECRETS_TYPES.values() if v}
    schema = json.loads((REPO / "scanner/schemas/rule.schema.json").read_text())
    enum = schema["definitions"]["check"]["allOf"][0]["then"]["properties"]["types"]["items"]["enum"]
    assert set(enum) == ids


@pytest.mark.parametrize("path,text", [
    ("main.tf", 'resource "aws_instance" "x" {\n  metadata_options {\n    http_tokens = "required"\n  }\n}\n'),
    ("ci.yml", "jobs:\n  call:\n    uses: ./.github/workflows/x.yml\n    secrets: inherit\n"),
    ("ing.yaml", "spec:\n  tls:\n    - hosts: [a]\n      secretName: web-tls-certificate\n"),
    ("values.yaml", "auth:\n  existingSecret: my-release-postgresql\n  passwordPolicy: strict-enough\n"),
    ("app.env", "TOKENIZER_MODEL=bert-base-uncased\nTOKEN_ENDPOINT=https://login.example.com/oauth2/token\n"),
    ("config.json", '{"auth": "disabled", "mode": "anonymous"}\n'),
    ("hook.txt", "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\n"),
    ("t.env", "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nSLACK=xoxb-your-token\n"),
    ("Dockerfile", "FROM python@sha256:2ec5a4a5c3e919570f57675471f081d6299668d909feabd8d4803c6c61af666c\n"),
])
def test_look_alikes_are_not_reported(path: str, text: str) -> None:
    assert scan_text(path, text) == []


def test_one_finding_for_a_connection_string_and_the_key_inside_it() -> None:
    key = (RNG_B64 * 3)[:86] + "=="
    text = f'conn = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={key};EndpointSuffix=core.windows.net"\n'
    hits = scan_text("settings.py", text)
    assert [(h.line, h.detector) for h in hits] == [(1, "azure-connection-string")]


def test_docker_auth_must_decode_to_user_and_password() -> None:
    import base64

    good = base64.b64encode(b"deploy:s3cr3t-Pass").decode()
    assert [h.detector for h in scan_text("config.json", f'{{"auths": {{"r": {{"auth": "{good}"}}}}}}\n')] == ["docker-auth"]


def test_terraform_provider_secret_key_is_an_aws_secret_key() -> None:
    hits = scan_text("provider.tf", f'provider "aws" {{\n  secret_key = "{RNG_B64}"\n}}\n')
    assert [(h.line, h.detector) for h in hits] == [(2, "aws-secret-access-key")]


def test_access_key_id_inside_a_call_is_found() -> None:
    hits = scan_text("app.py", 's3 = boto3.client("s3", aws_access_key_id="AKIAZ7QW3ERT5YUI8OPA")\n')
    assert [(h.line, h.detector) for h in hits] == [(1, "aws-access-key-id")]


def test_hits_carry_no_secret() -> None:
    (hit,) = scan_text("t.env", f"AWS_SECRET_ACCESS_KEY={RNG_B64}\n")
    assert RNG_B64 not in repr(hit) and hit.masked == "Zq8v…" and hit.length == 40
