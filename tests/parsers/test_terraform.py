from __future__ import annotations

from pathlib import Path

from scanner.api import collect_resources
from scanner.config import ScanConfig
from scanner.model import Unknown
from scanner.parsers import terraform


def _module(tmp_path: Path, files: dict[str, str]):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    resources, diags, _ = collect_resources([str(tmp_path)], ScanConfig(root=str(tmp_path)))
    assert diags == []
    return {r.name: r for r in resources}


def test_attribute_and_nested_block_lines() -> None:
    text = 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n\n  versioning {\n    enabled = true\n  }\n}\n'
    (res,) = terraform.link(terraform.parse(text, "main.tf"))
    assert (res.type, res.name, res.start_line, res.end_line) == ("aws_s3_bucket", "aws_s3_bucket.b", 1, 7)
    assert res.attributes == {"bucket": "x", "versioning": [{"enabled": True}]}
    assert res.line_of(("bucket",)) == 2
    assert res.line_of(("versioning", 0, "enabled")) == 5
    assert res.line_of(("not", "there")) == 1


def test_variables_tfvars_locals_and_interpolation(tmp_path: Path) -> None:
    res = _module(tmp_path, {
        "variables.tf": 'variable "env" { default = "dev" }\nvariable "cidr" {}\nvariable "port" { default = 22 }\n',
        "terraform.tfvars": 'env = "prod"\n',
        "z.auto.tfvars": 'cidr = "0.0.0.0/0"\n',
        "main.tf": (
            'locals {\n  name = "app-${var.env}"\n  ports = [var.port, 443]\n}\n'
            'resource "aws_security_group" "sg" {\n  name = local.name\n'
            '  ingress {\n    from_port = local.ports[0]\n    cidr_blocks = [var.cidr]\n    security_groups = [aws_security_group.other.id]\n  }\n'
            '  policy = jsonencode({ Statement = [{ Action = "*" }] })\n'
            '  tags = merge(var.tags, { a = 1 })\n}\n'
        ),
    })
    attrs = res["aws_security_group.sg"].attributes
    assert attrs["name"] == "app-prod"
    assert attrs["ingress"][0]["from_port"] == 22
    assert attrs["ingress"][0]["cidr_blocks"] == ["0.0.0.0/0"]
    assert attrs["ingress"][0]["security_groups"] == [Unknown("aws_security_group.other.id")]
    assert attrs["policy"] == '{"Statement":[{"Action":"*"}]}'
    assert isinstance(attrs["tags"], Unknown)


def test_variable_without_default_is_unknown(tmp_path: Path) -> None:
    res = _module(tmp_path, {"main.tf": 'variable "v" {}\nresource "x_thing" "t" {\n  a = var.v\n  b = "${var.v}-suffix"\n}\n'})
    attrs = res["x_thing.t"].attributes
    assert attrs == {"a": Unknown("var.v"), "b": Unknown('"${var.v}-suffix"')}


def test_modules_in_other_directories_do_not_share_variables(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a/main.tf").write_text('variable "v" { default = "A" }\nresource "x_thing" "t" { a = var.v }\n')
    (tmp_path / "b/main.tf").write_text('resource "x_thing" "t" { a = var.v }\n')
    resources, _, _ = collect_resources([str(tmp_path)], ScanConfig(root=str(tmp_path)))
    by_file = {r.file: r.attributes["a"] for r in resources}
    assert by_file == {"a/main.tf": "A", "b/main.tf": Unknown("var.v")}


def test_data_provider_module_and_heredoc() -> None:
    text = (
        'provider "aws" {\n  region = "eu-west-1"\n  alias = "eu"\n}\n'
        'data "aws_iam_policy_document" "d" {\n  statement {\n    actions = ["s3:*"]\n  }\n}\n'
        'module "net" {\n  source = "./net"\n}\n'
        'resource "aws_iam_policy" "p" {\n  policy = <<-EOT\n    {"Version": "2012-10-17"}\n  EOT\n}\n'
    )
    res = {r.name: r for r in terraform.link(terraform.parse(text, "main.tf"))}
    assert res["provider.aws.eu"].attributes["region"] == "eu-west-1"
    assert res["data.aws_iam_policy_document.d"].type == "data.aws_iam_policy_document"
    assert res["module.net"].attributes["source"] == "./net"
    assert res["aws_iam_policy.p"].attributes["policy"] == '{"Version": "2012-10-17"}\n'


def test_dynamic_block_becomes_one_templated_entry() -> None:
    text = (
        'resource "aws_security_group" "d" {\n  dynamic "ingress" {\n    for_each = var.rules\n'
        '    content {\n      from_port = 22\n      cidr_blocks = ingress.value.cidrs\n    }\n  }\n}\n'
    )
    (res,) = terraform.link(terraform.parse(text, "main.tf"))
    assert res.attributes["ingress"] == [{"from_port": 22, "cidr_blocks": Unknown("ingress.value.cidrs")}]


def test_tf_json_syntax() -> None:
    text = '{\n  "variable": {"c": {"default": "0.0.0.0/0"}},\n  "resource": {\n    "aws_security_group_rule": {\n      "r": {\n        "type": "ingress",\n        "cidr_blocks": ["${var.c}"]\n      }\n    }\n  }\n}\n'
    res = {r.name: r for r in terraform.link(terraform.parse(text, "main.tf.json"))}
    rule = res["aws_security_group_rule.r"]
    assert rule.attributes == {"type": "ingress", "cidr_blocks": ["0.0.0.0/0"]}
    assert rule.start_line == 5 and rule.line_of(("cidr_blocks",)) == 7


def test_unary_operators_resolve_after_variables(tmp_path: Path) -> None:
    res = _module(tmp_path, {"main.tf": 'variable "p" { default = true }\nvariable "n" { default = 5 }\nresource "x_thing" "t" {\n  a = !var.p\n  b = -var.n\n  c = -1\n}\n'})
    assert res["x_thing.t"].attributes == {"a": False, "b": -5, "c": -1}


def test_local_modules_are_evaluated_with_the_callers_arguments(tmp_path: Path) -> None:
    (tmp_path / "modules" / "sg").mkdir(parents=True)
    (tmp_path / "modules" / "sg" / "main.tf").write_text(
        'variable "cidr" { default = "10.0.0.0/8" }\nvariable "port" {}\n'
        'resource "aws_security_group" "this" {\n  ingress {\n    from_port = var.port\n    cidr_blocks = [var.cidr]\n  }\n}\n'
        'module "inner" {\n  source = "../inner"\n  name = "in-${var.port}"\n}\n'
    )
    (tmp_path / "modules" / "inner").mkdir()
    (tmp_path / "modules" / "inner" / "main.tf").write_text('variable "name" {}\nresource "x_thing" "t" {\n  name = var.name\n}\n')
    (tmp_path / "main.tf").write_text(
        'variable "open" { default = "0.0.0.0/0" }\n'
        'module "public" {\n  source = "./modules/sg"\n  cidr = var.open\n  port = 22\n}\n'
        'module "private" {\n  source = "./modules/sg"\n  port = 5432\n}\n'
        'module "remote" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n'
    )
    resources, diags, _ = collect_resources([str(tmp_path)], ScanConfig(root=str(tmp_path)))
    assert diags == []
    by_name = {r.name: r for r in resources}
    public = by_name["module.public.aws_security_group.this"]
    private = by_name["module.private.aws_security_group.this"]
    assert public.attributes["ingress"][0] == {"from_port": 22, "cidr_blocks": ["0.0.0.0/0"]}
    assert private.attributes["ingress"][0] == {"from_port": 5432, "cidr_blocks": ["10.0.0.0/8"]}
    assert public.file == "modules/sg/main.tf" and public.line_of(("ingress", 0, "cidr_blocks")) == 6
    assert by_name["module.public.module.inner.x_thing.t"].attributes["name"] == "in-22"
    # called modules are not also evaluated on their own (that would only report defaults)
    assert "aws_security_group.this" not in by_name and "x_thing.t" not in by_name
    assert "module.remote" in by_name


def test_module_cycles_terminate(tmp_path: Path) -> None:
    for a, b in (("a", "b"), ("b", "a")):
        (tmp_path / a).mkdir()
        (tmp_path / a / "main.tf").write_text(f'module "{b}" {{\n  source = "../{b}"\n}}\nresource "x_thing" "t" {{}}\n')
    (tmp_path / "main.tf").write_text('module "a" {\n  source = "./a"\n}\n')
    resources, _, _ = collect_resources([str(tmp_path)], ScanConfig(root=str(tmp_path)))
    assert "module.a.module.b.x_thing.t" in {r.name for r in resources}


def test_jsonencode_with_a_reference_keeps_the_known_structure(tmp_path: Path) -> None:
    res = _module(tmp_path, {"main.tf": (
        'resource "aws_s3_bucket_policy" "p" {\n  policy = jsonencode({\n    Statement = [{\n'
        '      Principal = "*"\n      Resource  = "${aws_s3_bucket.b.arn}/*"\n    }]\n  })\n}\n'
    )})
    policy = res["aws_s3_bucket_policy.p"].attributes["policy"]
    assert policy["Statement"][0]["Principal"] == "*"
    assert isinstance(policy["Statement"][0]["Resource"], Unknown)
    assert res["aws_s3_bucket_policy.p"].line_of(("policy", "Statement", 0, "Principal")) == 4


def test_dynamic_block_with_an_empty_for_each_generates_nothing(tmp_path: Path) -> None:
    res = _module(tmp_path, {"main.tf": (
        'variable "rules" { default = [] }\n'
        'resource "aws_default_security_group" "d" {\n  dynamic "ingress" {\n    for_each = var.rules\n'
        '    content {\n      from_port = 22\n    }\n  }\n}\n'
    )})
    assert res["aws_default_security_group.d"].attributes["ingress"] == [None]
