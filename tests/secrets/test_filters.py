"""Each false-positive filter with values that must and must not be dropped."""
from __future__ import annotations

import pytest

from scanner.secrets import filters


@pytest.mark.parametrize("value,dropped", [
    ("<your-token>", True), ("${DB_PASSWORD}", True), ("{{ .Values.password }}", True), ("changeme", True),
    ("xxxxxxxx", True), ("REDACTED", True), ("$(cat /run/secrets/x)", True), ("%DB_PASS%", True),
    ("hunter2isnotsafe", False), ("Zq8vB3nR7tY1uI5o", False), ("abcd8f3k2l1m", False),
])
def test_is_placeholder(value: str, dropped: bool) -> None:
    assert filters.is_placeholder(value) is dropped


@pytest.mark.parametrize("value,dropped", [
    ('os.environ["DB_PASSWORD"]', True), ("process.env.API_TOKEN", True), ("getpass()", True), ("config.db.password", True),
    ("var.db_password", True), ("s3cr3t-P4ss", False), ("Zq8vB3nR7tY1uI5oP2aS", False),
])
def test_is_env_lookup(value: str, dropped: bool) -> None:
    assert filters.is_env_lookup(value) is dropped


@pytest.mark.parametrize("value,line,dropped", [
    ("4d57f83ca4d3a78a44fb36d1dcf0d23983fa44f5", '    git_commit = "4d57f83ca4d3a78a44fb36d1dcf0d23983fa44f5"', True),
    ("4d57f83ca4d3a78a44fb36d1dcf0d23983fa44f5", 'api_token = "4d57f83ca4d3a78a44fb36d1dcf0d23983fa44f5"', False),
    ("4d57f83ca4d3a78a44fb36d1", "x", False),
])
def test_is_git_sha(value: str, line: str, dropped: bool) -> None:
    assert filters.is_git_sha(value, line) is dropped


@pytest.mark.parametrize("value,line,dropped", [
    ("2ec5a4a5c3e919570f57675471f081d6299668d909feabd8d4803c6c61af666c", "FROM python@sha256:2ec5a4a5c3e919570f57675471f081d6299668d909feabd8d4803c6c61af666c", True),
    ("2ec5a4a5c3e919570f57675471f081d6299668d909feabd8d4803c6c61af666c", 'client_secret = "2ec5a4a5c3e919570f57675471f081d6299668d909feabd8d4803c6c61af666c"', False),
])
def test_is_image_digest(value: str, line: str, dropped: bool) -> None:
    assert filters.is_image_digest(value, line) is dropped


@pytest.mark.parametrize("value,line,dropped", [
    ("123e4567-e89b-12d3-a456-426614174000", 'id: "123e4567-e89b-12d3-a456-426614174000"', True),
    ("123e4567-e89b-12d3-a456-426614174000", "//registry.npmjs.org/:_authToken=123e4567-e89b-12d3-a456-426614174000", False),
])
def test_is_uuid(value: str, line: str, dropped: bool) -> None:
    assert filters.is_uuid(value, line) is dropped


@pytest.mark.parametrize("path,dropped", [
    ("package-lock.json", True), ("sub/yarn.lock", True), ("go.sum", True), (".terraform.lock.hcl", True),
    ("SHA256SUMS", True), ("release/app.tar.gz.sha256", True), ("config.json", False), ("lockfile.py", False),
])
def test_lock_and_checksum_files(path: str, dropped: bool) -> None:
    assert (filters.is_lock_file(path) or filters.is_checksum_file(path)) is dropped


@pytest.mark.parametrize("value,dropped", [
    ("AKIAIOSFODNN7EXAMPLE", True), ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", True), ("sk_test_4eC39HqLyjWDarjtT1zdp7dc", True),
    ("AKIAZ7QW3ERT5YUI8OPA", False),
])
def test_is_documented_example(value: str, dropped: bool) -> None:
    assert filters.is_documented_example(value) is dropped


@pytest.mark.parametrize("value,dropped", [("aaaaaaaa", True), ("abcdefgh", True), ("12345678", True), ("a8Kd93jQ", False)])
def test_is_low_information(value: str, dropped: bool) -> None:
    assert filters.is_low_information(value) is dropped


@pytest.mark.parametrize("value,line,path,dropped", [
    ("get_password", "password = get_password", "app.py", True),
    ("s3cr3tvalue", 'password = "s3cr3tvalue"', "app.py", False),
    ("s3cr3tvalue", "password: s3cr3tvalue", "config.yaml", False),
])
def test_unquoted_code_reference(value: str, line: str, path: str, dropped: bool) -> None:
    assert filters.is_unquoted_code_reference(value, line, path) is dropped


def test_baselines_are_not_scanned_for_secrets() -> None:
    from scanner.secrets.engine import scan_text

    text = '{\n  "findings": [\n    {"file": "a.tf", "fingerprint": "9f2c4e6a8b0d1f3e5a7c9e1b3d5f7a9c", "rule_id": "ZD-AWS-001"}\n  ],\n  "tool": {"name": "zerodrift"}\n}\n'
    assert filters.is_baseline_file(".zerodrift-baseline.json") and filters.is_baseline_file("sub/.secrets.baseline")
    assert scan_text("accepted.json", text) == []
