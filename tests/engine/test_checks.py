"""The Python checks registry, on real parsed Terraform."""
from __future__ import annotations

from pathlib import Path

import pytest

from scanner.api import collect_resources
from scanner.config import ScanConfig
from scanner.engine.evaluate import evaluate
from scanner.engine.loader import load_rules

RULES = load_rules()


def _flagged(tmp_path: Path, text: str, rule_id: str) -> list[tuple[str, int]]:
    (tmp_path / "main.tf").write_text(text)
    resources, diags, _ = collect_resources([str(tmp_path)], ScanConfig(root=str(tmp_path)))
    assert diags == []
    return [(f.resource, f.line) for f in evaluate(resources, {rule_id: RULES[rule_id]})]


@pytest.mark.parametrize("pab,flagged", [
    ('resource "aws_s3_bucket_public_access_block" "p" {\n  bucket = aws_s3_bucket.b[count.index].id\n}\n', False),
    ('resource "aws_s3_bucket_public_access_block" "p" {\n  bucket = aws_s3_bucket.b.id\n}\n', False),
    ('resource "aws_s3_bucket_public_access_block" "p" {\n  bucket = "logs"\n}\n', False),
    ('variable "name" {}\nresource "aws_s3_bucket_public_access_block" "p" {\n  bucket = var.name\n}\n', False),
    ('resource "aws_s3_account_public_access_block" "acct" {\n  block_public_acls = true\n}\n', False),
    ('resource "aws_s3_bucket_public_access_block" "p" {\n  bucket = aws_s3_bucket.other.id\n}\n', True),
    ("", True),
])
def test_bucket_without_public_access_block(tmp_path: Path, pab: str, flagged: bool) -> None:
    text = 'resource "aws_s3_bucket" "b" {\n  bucket = "logs"\n}\n' + pab
    found = _flagged(tmp_path, text, "ZD-AWS-005")
    assert found == ([("aws_s3_bucket.b", 1)] if flagged else [])


def test_admin_policy_in_jsonencode_heredoc_and_policy_document(tmp_path: Path) -> None:
    text = (
        'resource "aws_iam_policy" "enc" {\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })\n}\n'
        'resource "aws_iam_role_policy" "doc" {\n  policy = <<EOF\n{"Statement": [{"Effect": "Allow", "Action": ["*"], "Resource": "*"}]}\nEOF\n}\n'
        'data "aws_iam_policy_document" "d" {\n  statement {\n    actions   = ["*"]\n    resources = ["*"]\n  }\n}\n'
        'resource "aws_iam_policy" "scoped" {\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })\n}\n'
        'resource "aws_iam_policy" "deny" {\n  policy = jsonencode({ Statement = [{ Effect = "Deny", Action = "*", Resource = "*" }] })\n}\n'
    )
    found = _flagged(tmp_path, text, "ZD-AWS-007")
    assert found == [("aws_iam_policy.enc", 2), ("aws_iam_role_policy.doc", 5), ("data.aws_iam_policy_document.d", 11)]


def test_residency_rule_is_inert_without_allowed_regions(tmp_path: Path) -> None:
    text = 'provider "aws" {\n  region = "us-east-1"\n}\n'
    assert _flagged(tmp_path, text, "ZD-GDPR-001") == []


def test_default_security_group_with_an_empty_dynamic_block_is_not_flagged(tmp_path: Path) -> None:
    text = (
        'variable "rules" { default = [] }\n'
        'resource "aws_default_security_group" "d" {\n  vpc_id = "vpc-1"\n  dynamic "ingress" {\n    for_each = var.rules\n'
        '    content {\n      from_port = 22\n    }\n  }\n}\n'
    )
    assert _flagged(tmp_path, text, "ZD-AWS-020") == []
    assert _flagged(tmp_path, text.replace("default = []", "default = [1]"), "ZD-AWS-020") == [("aws_default_security_group.d", 4)]
