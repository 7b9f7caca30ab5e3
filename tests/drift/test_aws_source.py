"""The live AWS drift source against moto's server on 127.0.0.1.

A scenario is built with boto3 (an SG opened to 0.0.0.0/0 on 22, a bucket
whose public access block was removed, a hand-made public bucket, an IAM user
with an access key, an unencrypted RDS instance, a trail without log file
validation, a KMS key without rotation), templates are parsed with the real
HCL parser, and the source's objects, keys, changes and the policy rules on
the live objects are asserted.  S3's real defaults (which moto lacks) are
checked on recorded response shapes.
"""
from __future__ import annotations

import json
import sys
import textwrap
import time
from pathlib import Path

import pytest
from moto_server import REGION
from moto_server import aws_env  # noqa: F401  (fixture)
from moto_server import aws_environment
from moto_server import free_port
from moto_server import moto_server  # noqa: F401  (fixture)
from moto_server import start_moto_server

from scanner.api import collect_resources
from scanner.config import ScanConfig
from scanner.drift.model import ADDED_IN_LIVE
from scanner.drift.model import CHANGED
from scanner.drift.model import Change
from scanner.drift.sources.aws import MISSING_EXTRA
from scanner.drift.model import LiveObject
from scanner.drift.model import REMOVED_IN_LIVE
from scanner.drift.sources.aws import AwsSource
from scanner.drift.sources.aws import s3_bucket_objects
from scanner.drift.sources.aws import security_group_attributes
from scanner.engine.evaluate import run
from scanner.engine.loader import load_rules
from scanner.errors import UsageError
from scanner.model import Resource

FIXTURES = Path(__file__).parent / "fixtures" / "aws"
ACCOUNT = "123456789012"

TEMPLATES = """
resource "aws_security_group" "web" {
  name        = "web"
  description = "web tier"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}

resource "aws_security_group" "app" {
  name        = "app"
  description = "app tier"
  ingress {
    description     = "from web"
    from_port       = 8080
    to_port         = 8080
    protocol        = "6"
    security_groups = [aws_security_group.web.id]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "all"
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = { team = "app" }
}

resource "aws_s3_bucket" "logs" {
  bucket = "zd-logs"
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.bucket
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.trail.arn
    }
  }
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_iam_role" "app" {
  name = "app-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["sts:AssumeRole"], Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_db_instance" "main" {
  identifier                          = "zd-db"
  engine                              = "postgres"
  engine_version                      = "14"
  instance_class                      = "db.t3.micro"
  allocated_storage                   = 20
  username                            = "app"
  password                            = "not-a-real-password"
  storage_encrypted                   = true
  backup_retention_period             = 7
}

resource "aws_cloudtrail" "main" {
  name                          = "zd-trail"
  s3_bucket_name                = aws_s3_bucket.trail.id
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  include_global_service_events = true
}

resource "aws_s3_bucket" "trail" {
  bucket = "zd-trail-logs"
}

resource "aws_kms_key" "trail" {
  description         = "zd trail key"
  enable_key_rotation = true
}

resource "aws_kms_alias" "trail" {
  name          = "alias/zd-trail"
  target_key_id = aws_kms_key.trail.key_id
}
"""

TRUST = {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def _templates(tmp_path: Path, text: str = TEMPLATES) -> list[Resource]:
    root = tmp_path / "tf"
    root.mkdir(exist_ok=True)
    (root / "main.tf").write_text(textwrap.dedent(text), encoding="utf-8")
    resources, diagnostics, _files = collect_resources([str(root)], ScanConfig(root=str(root)))
    assert diagnostics == []
    return resources


def _build_scenario() -> dict[str, str]:
    """The live side, made with boto3 against moto; returns ids the tests need."""
    import boto3

    ec2, s3, iam = boto3.client("ec2"), boto3.client("s3"), boto3.client("iam")
    vpc = next(v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if v.get("IsDefault"))
    web = ec2.create_security_group(GroupName="web", Description="web tier", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=web, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/16"}]},
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
    ])
    app = ec2.create_security_group(GroupName="app", Description="app tier", VpcId=vpc,
                                    TagSpecifications=[{"ResourceType": "security-group",
                                                        "Tags": [{"Key": "team", "Value": "app"}]}])["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=app, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080,
         "UserIdGroupPairs": [{"GroupId": web, "Description": "from web"}]},
    ])

    kms = boto3.client("kms")
    key = kms.create_key(Description="zd trail key")["KeyMetadata"]
    kms.create_alias(AliasName="alias/zd-trail", TargetKeyId=key["KeyId"])

    where = {"CreateBucketConfiguration": {"LocationConstraint": REGION}}
    s3.create_bucket(Bucket="zd-logs", **where)
    s3.put_public_access_block(Bucket="zd-logs", PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    s3.delete_public_access_block(Bucket="zd-logs")  # removed out of band
    s3.put_bucket_encryption(Bucket="zd-logs", ServerSideEncryptionConfiguration={"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key["Arn"]}}]})
    s3.put_bucket_versioning(Bucket="zd-logs", VersioningConfiguration={"Status": "Enabled"})
    s3.create_bucket(Bucket="zd-handmade", **where)
    s3.put_bucket_acl(Bucket="zd-handmade", ACL="public-read")
    s3.create_bucket(Bucket="zd-trail-logs", **where)

    iam.create_user(UserName="mallory")
    access_key = iam.create_access_key(UserName="mallory")["AccessKey"]
    iam.create_role(RoleName="app-role", AssumeRolePolicyDocument=json.dumps(TRUST, indent=2))
    policy = iam.create_policy(PolicyName="everything", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    iam.attach_user_policy(UserName="mallory", PolicyArn=policy["Policy"]["Arn"])

    boto3.client("rds").create_db_instance(
        DBInstanceIdentifier="zd-db", Engine="postgres", EngineVersion="14.7", DBInstanceClass="db.t3.micro",
        AllocatedStorage=20, MasterUsername="app", MasterUserPassword="not-a-real-password",
        StorageEncrypted=False, BackupRetentionPeriod=7)

    cloudtrail = boto3.client("cloudtrail")
    cloudtrail.create_trail(Name="zd-trail", S3BucketName="zd-trail-logs", IsMultiRegionTrail=True,
                            EnableLogFileValidation=True, IncludeGlobalServiceEvents=True)
    cloudtrail.update_trail(Name="zd-trail", EnableLogFileValidation=False)  # turned off out of band
    cloudtrail.start_logging(Name="zd-trail")
    return {"vpc": vpc, "web": web, "app": app, "key_id": key["KeyId"], "key_arn": key["Arn"],
            "access_key_id": access_key["AccessKeyId"], "secret": access_key["SecretAccessKey"]}


@pytest.fixture
def scenario(aws_env, tmp_path):  # noqa: F811
    ids = _build_scenario()
    templates = _templates(tmp_path)
    source = AwsSource()
    snapshot = source.load(f"aws://{REGION}", templates)
    by_key = {o.key: o for o in snapshot.objects}
    by_name = {t.name: t for t in templates}
    return ids, templates, source, snapshot, by_key, by_name


def _live_resource(obj) -> Resource:
    return Resource(format="aws", schema="terraform", type=obj.type, name=obj.address, file="live",
                    start_line=1, end_line=1, attributes=obj.attributes, group="aws")


def test_reads_the_curated_set_with_terraform_keys(scenario):
    ids, _templates, _source, snapshot, by_key, _by_name = scenario
    assert sorted((o.type, o.key) for o in snapshot.objects) == [
        ("aws_cloudtrail", "aws_cloudtrail:zd-trail"),
        ("aws_db_instance", "aws_db_instance:zd-db"),
        ("aws_iam_access_key", "aws_iam_access_key:mallory"),
        ("aws_iam_policy", "aws_iam_policy:everything"),
        ("aws_iam_role", "aws_iam_role:app-role"),
        ("aws_iam_user", "aws_iam_user:mallory"),
        ("aws_iam_user_policy_attachment",
         "aws_iam_user_policy_attachment:mallory/arn:aws:iam::123456789012:policy/everything"),
        ("aws_kms_key", "aws_kms_key:alias/zd-trail"),
        ("aws_s3_bucket", "aws_s3_bucket:zd-handmade"),
        ("aws_s3_bucket", "aws_s3_bucket:zd-logs"),
        ("aws_s3_bucket", "aws_s3_bucket:zd-trail-logs"),
        ("aws_s3_bucket_acl", "aws_s3_bucket_acl:zd-handmade"),
        ("aws_s3_bucket_acl", "aws_s3_bucket_acl:zd-logs"),
        ("aws_s3_bucket_acl", "aws_s3_bucket_acl:zd-trail-logs"),
        ("aws_s3_bucket_server_side_encryption_configuration",
         "aws_s3_bucket_server_side_encryption_configuration:zd-logs"),
        ("aws_s3_bucket_versioning", "aws_s3_bucket_versioning:zd-logs"),
        ("aws_security_group", "aws_security_group:app"),
        ("aws_security_group", "aws_security_group:default"),
        ("aws_security_group", "aws_security_group:web"),
    ]
    assert snapshot.diagnostics == []
    assert snapshot.properties["scope"] == f"aws://{REGION} (account {ACCOUNT})"
    assert all(o.provenance == f"aws://{REGION} (account {ACCOUNT})" for o in snapshot.objects)
    # defaults: the default VPC's group and an owner-only (private) ACL
    assert sorted(o.key for o in snapshot.objects if o.default) == [
        "aws_s3_bucket_acl:zd-logs", "aws_s3_bucket_acl:zd-trail-logs", "aws_security_group:default"]
    # identities and shapes
    web = by_key["aws_security_group:web"]
    assert (web.native_id, web.address, web.source, web.schema) == (ids["web"], "aws_security_group.web", "aws", "terraform")
    # matched objects carry their template's address, unmanaged ones <type>.<natural id>
    assert by_key["aws_db_instance:zd-db"].address == "aws_db_instance.main"
    assert by_key["aws_s3_bucket:zd-handmade"].address == "aws_s3_bucket.zd-handmade"
    assert web.attributes["ingress"] == [
        {"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": [],
         "prefix_list_ids": [], "security_groups": [], "self": False, "description": ""},
        {"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/16"], "ipv6_cidr_blocks": [],
         "prefix_list_ids": [], "security_groups": [], "self": False, "description": ""},
    ]
    key = by_key["aws_iam_access_key:mallory"]
    assert (key.native_id, key.attributes, key.sensitive) == (ids["access_key_id"], {"user": "mallory", "status": "Active"}, ())
    assert ids["secret"] not in json.dumps([o.attributes for o in snapshot.objects], default=str)
    assert by_key["aws_kms_key:alias/zd-trail"].native_id == ids["key_id"]
    assert by_key["aws_kms_key:alias/zd-trail"].attributes["enable_key_rotation"] is False
    assert by_key["aws_db_instance:zd-db"].attributes["storage_encrypted"] is False
    assert by_key["aws_cloudtrail:zd-trail"].attributes["enable_logging"] is True
    assert by_key["aws_s3_bucket_acl:zd-handmade"].attributes["acl"] == "public-read"
    assert json.loads(by_key["aws_iam_role:app-role"].attributes["assume_role_policy"]) == TRUST


def test_template_keys_agree_and_inspected_covers_read_types(scenario):
    _ids, templates, source, snapshot, by_key, by_name = scenario
    keys = {t.name: source.template_key(t) for t in templates}
    assert keys == {
        "aws_security_group.web": "aws_security_group:web",
        "aws_security_group.app": "aws_security_group:app",
        "aws_s3_bucket.logs": "aws_s3_bucket:zd-logs",
        "aws_s3_bucket_public_access_block.logs": "aws_s3_bucket_public_access_block:zd-logs",
        "aws_s3_bucket_server_side_encryption_configuration.logs":
            "aws_s3_bucket_server_side_encryption_configuration:zd-logs",
        "aws_s3_bucket_versioning.logs": "aws_s3_bucket_versioning:zd-logs",
        "aws_iam_role.app": "aws_iam_role:app-role",
        "aws_db_instance.main": "aws_db_instance:zd-db",
        "aws_cloudtrail.main": "aws_cloudtrail:zd-trail",
        "aws_s3_bucket.trail": "aws_s3_bucket:zd-trail-logs",
        "aws_kms_key.trail": "aws_kms_key:alias/zd-trail",
        "aws_kms_alias.trail": None,  # not read live
    }
    # every template key was inspected; the removed public access block is missing
    assert snapshot.inspected == {k for k in keys.values() if k}
    assert "aws_s3_bucket_public_access_block:zd-logs" not in by_key
    unmanaged = sorted(o.key for o in snapshot.objects if not o.default and o.key not in snapshot.inspected)
    assert unmanaged == [
        "aws_iam_access_key:mallory", "aws_iam_policy:everything", "aws_iam_user:mallory",
        "aws_iam_user_policy_attachment:mallory/arn:aws:iam::123456789012:policy/everything",
        "aws_s3_bucket:zd-handmade", "aws_s3_bucket_acl:zd-handmade",
    ]


def test_compare_reports_exact_drift_and_no_noise(scenario):
    ids, _templates, source, _snapshot, by_key, by_name = scenario

    def changes(address: str, key: str) -> list[Change]:
        return source.compare(by_name[address], by_key[key])

    rule = {"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": [],
            "prefix_list_ids": [], "security_groups": [], "self": False, "description": ""}
    ssh = {**rule, "from_port": 22, "to_port": 22, "protocol": "tcp"}
    # the opened port and the default egress Terraform would have removed
    assert [(c.kind, c.path, c.desired, c.live) for c in changes("aws_security_group.web", "aws_security_group:web")] == [
        (ADDED_IN_LIVE, ("egress",), None, rule),
        (ADDED_IN_LIVE, ("ingress",), None, ssh),
    ]
    # "6" is tcp, "all" is -1, a reference to a templated group is its live id: in sync
    assert changes("aws_security_group.app", "aws_security_group:app") == []
    assert by_key["aws_security_group:app"].attributes["ingress"][0]["security_groups"] == [ids["web"]]
    assert [(c.kind, c.path, c.desired, c.live) for c in changes("aws_db_instance.main", "aws_db_instance:zd-db")] == [
        (CHANGED, ("storage_encrypted",), True, False),
    ]  # engine_version "14" vs "14.7" and the password (not readable) are not drift
    assert [(c.kind, c.path, c.desired, c.live) for c in changes("aws_cloudtrail.main", "aws_cloudtrail:zd-trail")] == [
        (CHANGED, ("enable_log_file_validation",), True, False),
    ]
    assert [(c.kind, c.path, c.desired, c.live) for c in changes("aws_kms_key.trail", "aws_kms_key:alias/zd-trail")] == [
        (CHANGED, ("enable_key_rotation",), True, False),
    ]
    for address, key in [
        ("aws_s3_bucket.logs", "aws_s3_bucket:zd-logs"),
        ("aws_s3_bucket.trail", "aws_s3_bucket:zd-trail-logs"),
        ("aws_s3_bucket_server_side_encryption_configuration.logs",
         "aws_s3_bucket_server_side_encryption_configuration:zd-logs"),
        ("aws_s3_bucket_versioning.logs", "aws_s3_bucket_versioning:zd-logs"),
        ("aws_iam_role.app", "aws_iam_role:app-role"),  # the same trust policy, differently formatted
    ]:
        assert changes(address, key) == [], address


def _fired(resources: list[Resource]) -> dict[str, list[str]]:
    fired: dict[str, set[str]] = {}
    for finding in run(resources, load_rules()).findings:
        fired.setdefault(finding.resource, set()).add(finding.rule_id)
    return {name: sorted(ids) for name, ids in sorted(fired.items())}


def test_rules_judge_live_objects_like_templates(scenario):
    _ids, templates, _source, snapshot, _by_key, _by_name = scenario
    assert _fired([_live_resource(o) for o in snapshot.objects]) == {
        "aws_cloudtrail.main": ["ZD-AWS-012", "ZD-AWS-032", "ZD-AWS-033"],
        "aws_db_instance.main": ["ZD-AWS-010", "ZD-AWS-029", "ZD-AWS-030", "ZD-AWS-031"],
        "aws_iam_access_key.mallory": ["ZD-AWS-008"],
        "aws_iam_policy.everything": ["ZD-AWS-007"],
        "aws_iam_user_policy_attachment.mallory/arn:aws:iam::123456789012:policy/everything": ["ZD-AWS-037"],
        "aws_kms_key.trail": ["ZD-AWS-013"],
        "aws_s3_bucket.logs": ["ZD-AWS-005", "ZD-AWS-017"],  # its public access block is gone
        "aws_s3_bucket.trail": ["ZD-AWS-005", "ZD-AWS-016", "ZD-AWS-017"],
        "aws_s3_bucket.zd-handmade": ["ZD-AWS-005", "ZD-AWS-016", "ZD-AWS-017"],
        "aws_s3_bucket_acl.zd-handmade": ["ZD-AWS-004"],
        "aws_security_group.web": ["ZD-AWS-001"],
    }
    # the same rules on the templates: what fails only live is compliance drift
    # (ZD-AWS-001, -005 on zd-logs, -010, -012, -013)
    assert _fired(templates) == {
        "aws_cloudtrail.main": ["ZD-AWS-032", "ZD-AWS-033"],
        "aws_db_instance.main": ["ZD-AWS-029", "ZD-AWS-030", "ZD-AWS-031"],
        "aws_s3_bucket.logs": ["ZD-AWS-017"],
        "aws_s3_bucket.trail": ["ZD-AWS-005", "ZD-AWS-016", "ZD-AWS-017"],
    }


# ---------------------------------------------------------------- more live behaviour
def test_access_key_order_region_scope_and_progress(aws_env, tmp_path):  # noqa: F811
    import boto3

    iam = boto3.client("iam")
    iam.create_user(UserName="bob")
    first = iam.create_access_key(UserName="bob")["AccessKey"]["AccessKeyId"]
    time.sleep(1.1)  # creation dates order the keys (second resolution)
    second = iam.create_access_key(UserName="bob")["AccessKey"]["AccessKeyId"]
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="zd-elsewhere")  # another region
    templates = _templates(tmp_path, """
        resource "aws_iam_user" "bob" {
          name = "bob"
        }
        resource "aws_iam_access_key" "bob" {
          user = aws_iam_user.bob.name
        }
        resource "aws_iam_access_key" "bob_next" {
          user   = aws_iam_user.bob.name
          status = "Inactive"
        }
    """)
    messages: list[str] = []
    source = AwsSource(progress=messages.append)
    snapshot = source.load(f"aws://{REGION}", templates)
    by_key = {o.key: o for o in snapshot.objects}
    assert sorted(by_key) == ["aws_iam_access_key:bob", "aws_iam_access_key:bob#2", "aws_iam_user:bob",
                              "aws_security_group:default"]  # zd-elsewhere is out of scope
    assert (by_key["aws_iam_access_key:bob"].native_id, by_key["aws_iam_access_key:bob#2"].native_id) == (first, second)
    by_name = {t.name: t for t in templates}
    assert [source.template_key(by_name[n]) for n in ("aws_iam_access_key.bob", "aws_iam_access_key.bob_next")] == [
        "aws_iam_access_key:bob", "aws_iam_access_key:bob#2"]
    assert source.compare(by_name["aws_iam_access_key.bob"], by_key["aws_iam_access_key:bob"]) == []
    assert [(c.kind, c.path, c.desired, c.live) for c in
            source.compare(by_name["aws_iam_access_key.bob_next"], by_key["aws_iam_access_key:bob#2"])] == [
        (CHANGED, ("status",), "Inactive", "Active")]
    assert messages[:1] == ["aws: reading ec2"]
    assert "aws: s3, 1 bucket(s)" in messages
    assert all("zd-" not in m and "bob" not in m for m in messages)  # counts, never names


def test_call_budget_gives_partial_results_and_a_diagnostic(aws_env, tmp_path):  # noqa: F811
    import boto3

    boto3.client("s3").create_bucket(Bucket="zd-logs", CreateBucketConfiguration={"LocationConstraint": REGION})
    templates = _templates(tmp_path, """
        resource "aws_security_group" "web" {
          name = "web"
        }
        resource "aws_s3_bucket" "logs" {
          bucket = "zd-logs"
        }
    """)
    # 1 STS + 1 EC2 page fit; S3 runs out at its second call (GetBucketLocation)
    snapshot = AwsSource(call_budget=3).load(f"aws://{REGION}", templates)
    assert [o.key for o in snapshot.objects] == ["aws_security_group:default"]
    assert [d.reason for d in snapshot.diagnostics] == [
        "the AWS API call budget (3) ran out; not inspected: s3, iam, rds, kms, cloudtrail"]
    assert snapshot.diagnostics[0].level == "warning"
    # the SG template was inspected (so it is missing); the bucket was not (never "missing")
    assert snapshot.inspected == {"aws_security_group:web"}
    assert snapshot.properties["api_calls"] == 4


# ---------------------------------------------------------------- denied service
@pytest.fixture(scope="module")
def auth_server():
    """A second moto server that checks IAM permissions after its first four
    requests (the setup of the caller below)."""
    server = start_moto_server(env={"INITIAL_NO_AUTH_ACTION_COUNT": "4"})
    try:
        yield server
    finally:
        server.stop()


def test_access_denied_on_one_service_gives_a_diagnostic_and_partial_results(auth_server, monkeypatch, tmp_path):
    import boto3

    for name, value in aws_environment(auth_server.endpoint, str(tmp_path)).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    iam = boto3.client("iam")
    iam.create_user(UserName="auditor")
    iam.put_user_policy(UserName="auditor", PolicyName="read", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},
                      {"Effect": "Deny", "Action": ["iam:*", "s3:GetBucketPolicy"], "Resource": "*"}]}))
    key = iam.create_access_key(UserName="auditor")["AccessKey"]
    boto3.client("s3").create_bucket(Bucket="zd-data", CreateBucketConfiguration={"LocationConstraint": REGION})
    # from here on moto checks the caller's permissions
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
    monkeypatch.delenv("AWS_SESSION_TOKEN")
    templates = _templates(tmp_path, """
        resource "aws_iam_user" "ci" {
          name = "ci"
        }
        resource "aws_s3_bucket" "data" {
          bucket = "zd-data"
        }
        resource "aws_s3_bucket_policy" "data" {
          bucket = aws_s3_bucket.data.id
          policy = "{}"
        }
    """)
    snapshot = AwsSource().load(f"aws://{REGION}", templates)
    assert sorted(o.key for o in snapshot.objects) == [
        "aws_s3_bucket:zd-data", "aws_s3_bucket_acl:zd-data", "aws_security_group:default"]
    assert [(d.level, d.reason) for d in snapshot.diagnostics] == [
        ("warning", "iam: ListUsers failed (AccessDenied); iam resources were not inspected"),
        ("warning", "s3: GetBucketPolicy failed (AccessDenied) for 1 bucket(s); those were not inspected"),
    ]
    # neither the IAM user nor the unreadable bucket policy can be "missing"
    assert snapshot.inspected == {"aws_s3_bucket:zd-data"}
    assert snapshot.properties["not_inspected"] == [
        "aws_iam_access_key", "aws_iam_policy", "aws_iam_role", "aws_iam_role_policy_attachment", "aws_iam_user",
        "aws_iam_user_policy_attachment"]


# ---------------------------------------------------------------- unusable live side
def test_missing_boto3_is_a_usage_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "boto3", None)
    with pytest.raises(UsageError) as err:
        AwsSource().load(f"aws://{REGION}", [])
    assert str(err.value) == MISSING_EXTRA == "live AWS needs the optional extra: pip install 'zerodrift[aws]'"


def test_unreachable_endpoint_is_one_usage_line(monkeypatch, tmp_path):
    for name, value in aws_environment(f"http://127.0.0.1:{free_port()}", str(tmp_path)).items():
        monkeypatch.setenv(name, value)
    started = time.monotonic()
    with pytest.raises(UsageError) as err:
        AwsSource(connect_timeout=2).load(f"aws://{REGION}", [])
    assert str(err.value) == ("cannot reach AWS in eu-west-1 (EndpointConnectionError); "
                              "check the network, the region or AWS_ENDPOINT_URL")
    assert err.value.__cause__ is None and err.value.__suppress_context__
    assert time.monotonic() - started < 20


def test_no_credentials_is_one_usage_line(aws_env, monkeypatch):  # noqa: F811
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    with pytest.raises(UsageError) as err:
        AwsSource().load(f"aws://{REGION}", [])
    assert str(err.value) == ("no AWS credentials found: configure the AWS credential chain "
                              "(environment, profile, SSO or instance role) for live AWS")


@pytest.mark.parametrize("spec, message", [
    ("aws://", "live AWS source must look like aws://REGION or aws://REGION?profile=NAME (e.g. aws://eu-west-1)"),
    ("aws://Europe", "live AWS source must look like aws://REGION or aws://REGION?profile=NAME (e.g. aws://eu-west-1)"),
    ("aws://eu-west-1?role=admin", "aws:// source: unknown option 'role' (only profile=NAME)"),
    ("aws://eu-west-1?profile=", "aws:// source: the profile name is empty or has characters a profile cannot have"),
    ("aws://eu-west-1?profile=nope", "AWS profile 'nope' not found in the AWS configuration"),
])
def test_bad_specs_are_usage_errors(aws_env, spec, message):  # noqa: F811
    with pytest.raises(UsageError) as err:
        AwsSource().load(spec, [])
    assert str(err.value) == message


def test_profile_from_the_spec_is_used(aws_env, monkeypatch, tmp_path):  # noqa: F811
    config = tmp_path / "config"
    config.write_text("[profile audit]\nregion = us-east-1\n", encoding="utf-8")
    credentials = tmp_path / "credentials"
    credentials.write_text("[audit]\naws_access_key_id = testing\naws_secret_access_key = testing\n", encoding="utf-8")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    snapshot = AwsSource().load(f"aws://{REGION}?profile=audit", [])
    assert snapshot.properties["scope"] == f"aws://{REGION} (account {ACCOUNT})"  # the spec's region wins
    assert [o.key for o in snapshot.objects] == ["aws_security_group:default"]


# ---------------------------------------------------------------- recorded real-S3 shapes
def _recorded(name: str) -> tuple[str, dict]:
    data = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data["bucket"], data["responses"]


def _live(rtype: str, bucket: str, attrs: dict, default: bool) -> LiveObject:
    return LiveObject(source="aws", schema="terraform", type=rtype, key=f"{rtype}:{bucket}",
                      address=f"{rtype}.{bucket}", native_id=bucket, attributes=attrs, default=default)


def test_real_s3_defaults_are_default_objects_not_drift(tmp_path):
    bucket, responses = _recorded("s3-new-bucket-defaults.json")
    owner = "7009a8971cd538e11f6b6606438875e7c86c5b672f46db45460ddcd087d36c32"
    objects = s3_bucket_objects(bucket, responses)
    assert objects == [
        ("aws_s3_bucket", {"bucket": bucket, "tags": {}}, False),
        ("aws_s3_bucket_public_access_block", {"bucket": bucket, "block_public_acls": True, "block_public_policy": True,
                                               "ignore_public_acls": True, "restrict_public_buckets": True}, True),
        ("aws_s3_bucket_server_side_encryption_configuration", {"bucket": bucket, "rule": [
            {"apply_server_side_encryption_by_default": [{"sse_algorithm": "AES256"}], "bucket_key_enabled": False}]}, True),
        ("aws_s3_bucket_acl", {"bucket": bucket, "acl": "private", "access_control_policy": [{
            "grant": [{"grantee": [{"type": "CanonicalUser", "id": owner}], "permission": "FULL_CONTROL"}],
            "owner": [{"id": owner}]}]}, True),
        ("aws_s3_bucket_ownership_controls", {"bucket": bucket, "rule": [{"object_ownership": "BucketOwnerEnforced"}]}, True),
    ]
    templates = _templates(tmp_path, """
        resource "aws_s3_bucket_server_side_encryption_configuration" "plain" {
          bucket = "zd-new-bucket"
          rule {
            apply_server_side_encryption_by_default {
              sse_algorithm = "AES256"
            }
          }
        }
        resource "aws_s3_bucket_server_side_encryption_configuration" "kms" {
          bucket = "zd-new-bucket"
          rule {
            apply_server_side_encryption_by_default {
              sse_algorithm = "aws:kms"
            }
          }
        }
    """)
    source = AwsSource()
    by_name = {t.name: t for t in templates}
    sse = _live(objects[2][0], bucket, objects[2][1], default=True)
    assert source.template_key(by_name["aws_s3_bucket_server_side_encryption_configuration.plain"]) == sse.key
    assert source.compare(by_name["aws_s3_bucket_server_side_encryption_configuration.plain"], sse) == []
    assert [(c.kind, c.path, c.desired, c.live) for c in
            source.compare(by_name["aws_s3_bucket_server_side_encryption_configuration.kms"], sse)] == [
        (CHANGED, ("rule", 0, "apply_server_side_encryption_by_default", 0, "sse_algorithm"), "aws:kms", "AES256")]


def test_real_s3_configured_bucket_shapes_feed_the_rules():
    bucket, responses = _recorded("s3-kms-public-bucket.json")
    objects = s3_bucket_objects(bucket, responses)
    attrs = {rtype: a for rtype, a, _d in objects}
    assert [(rtype, default) for rtype, _a, default in objects] == [
        ("aws_s3_bucket", False), ("aws_s3_bucket_public_access_block", False),
        ("aws_s3_bucket_server_side_encryption_configuration", False), ("aws_s3_bucket_versioning", False),
        ("aws_s3_bucket_acl", False), ("aws_s3_bucket_ownership_controls", False), ("aws_s3_bucket_logging", False)]
    assert attrs["aws_s3_bucket"] == {"bucket": bucket, "tags": {"team": "web"}}  # aws: tags are AWS's own
    assert attrs["aws_s3_bucket_server_side_encryption_configuration"]["rule"] == [{
        "apply_server_side_encryption_by_default": [{
            "sse_algorithm": "aws:kms",
            "kms_master_key_id": "arn:aws:kms:eu-west-1:123456789012:key/0b7f5a8e-3c9d-4e0f-9a51-2f0c8d7e6b11"}],
        "bucket_key_enabled": True}]
    assert attrs["aws_s3_bucket_versioning"]["versioning_configuration"] == [{"status": "Enabled", "mfa_delete": "Disabled"}]
    assert attrs["aws_s3_bucket_logging"] == {"bucket": bucket, "target_bucket": "zd-access-logs", "target_prefix": "assets/"}
    assert attrs["aws_s3_bucket_acl"]["acl"] == "public-read"
    live = [_live(rtype, bucket, a, d) for rtype, a, d in objects]
    assert _fired([_live_resource(o) for o in live]) == {
        "aws_s3_bucket_acl.zd-assets": ["ZD-AWS-004"],
        "aws_s3_bucket_public_access_block.zd-assets": ["ZD-AWS-006"],
    }


def test_standalone_rule_resources_keep_inline_rules_out_of_the_comparison(tmp_path):
    group = {
        "GroupId": "sg-0a1b2c3d4e5f60718", "GroupName": "db", "Description": "db", "VpcId": "vpc-1", "OwnerId": ACCOUNT,
        "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                           "IpRanges": [{"CidrIp": "10.1.0.0/16", "Description": "app"},
                                        {"CidrIp": "10.2.0.0/16", "Description": "app"}]}],
        "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    }
    attrs = security_group_attributes(group)
    assert attrs["ingress"] == [{"from_port": 5432, "to_port": 5432, "protocol": "tcp",
                                 "cidr_blocks": ["10.1.0.0/16", "10.2.0.0/16"], "ipv6_cidr_blocks": [],
                                 "prefix_list_ids": [], "security_groups": [], "self": False, "description": "app"}]
    obj = LiveObject(source="aws", schema="terraform", type="aws_security_group", key="aws_security_group:db",
                     address="aws_security_group.db", native_id=group["GroupId"], attributes=attrs)
    templates = _templates(tmp_path, """
        resource "aws_security_group" "db" {
          name        = "db"
          description = "db"
        }
        resource "aws_security_group_rule" "pg" {
          type              = "ingress"
          security_group_id = aws_security_group.db.id
          from_port         = 5432
          to_port           = 5432
          protocol          = "tcp"
          cidr_blocks       = ["10.1.0.0/16", "10.2.0.0/16"]
        }
    """)
    source = AwsSource()
    source._index_templates(templates)  # what load() does with the templates it is given
    by_name = {t.name: t for t in templates}
    assert source.template_key(by_name["aws_security_group.db"]) == "aws_security_group:db"
    # one legacy template, several AWS rules: keyed by group, direction, protocol, ports and every source
    assert source.template_key(by_name["aws_security_group_rule.pg"]) == \
        "aws_security_group_rule:db:ingress:tcp:5432:10.1.0.0/16,10.2.0.0/16"
    assert source.compare(by_name["aws_security_group.db"], obj) == []
    # without the standalone rule the same live group drifts: the default egress, and a
    # template rule narrower than the live one
    (tmp_path / "alone").mkdir()
    alone = _templates(tmp_path / "alone", """
        resource "aws_security_group" "db" {
          name        = "db"
          description = "db"
          ingress {
            from_port   = 5432
            to_port     = 5432
            protocol    = "tcp"
            cidr_blocks = ["10.2.0.0/16"]
            description = "app"
          }
        }
    """)
    source = AwsSource()
    source._index_templates(alone)
    changes = source.compare(alone[0], obj)
    assert [(c.kind, c.path) for c in changes] == [
        (ADDED_IN_LIVE, ("egress",)), (ADDED_IN_LIVE, ("ingress",)), (REMOVED_IN_LIVE, ("ingress",))]
    assert changes[1].live["cidr_blocks"] == ["10.1.0.0/16", "10.2.0.0/16"]
    assert changes[2].desired["cidr_blocks"] == ["10.2.0.0/16"]


# ---------------------------------------------------------------- through the CLI
def test_zerodrift_drift_reads_live_aws_end_to_end(aws_env, tmp_path, capsys):  # noqa: F811
    from scanner.cli import main

    ids = _build_scenario()
    _templates(tmp_path)  # writes tmp_path/tf/main.tf
    report = tmp_path / "drift.json"
    code = main(["drift", "--template", str(tmp_path / "tf"), "--live", f"aws://{REGION}", "--format", "json",
                 "--output", str(report)])
    assert code == 1
    text = report.read_text(encoding="utf-8")
    assert ids["secret"] not in text and "not-a-real-password" not in text
    found = {(f["rule_id"], f["resource"], f["path"]) for f in json.loads(text)["findings"]}
    assert {
        ("ZD-AWS-001", "aws_security_group.web", "ingress[0].cidr_blocks[0]"),  # compliance drift
        ("ZD-AWS-010", "aws_db_instance.main", "storage_encrypted"),
        ("ZD-AWS-012", "aws_cloudtrail.main", "enable_log_file_validation"),
        ("ZD-AWS-013", "aws_kms_key.trail", "enable_key_rotation"),
        ("ZD-AWS-005", "aws_s3_bucket.logs", ""),  # its public-access block was deleted: compliance drift
        ("ZD-DRIFT-003", "aws_s3_bucket_public_access_block.logs", ""),  # and the block itself is missing (high)
    } <= found
    resources = {resource for _rule, resource, _path in found}
    # in sync (protocol, egress, trust policy, engine version, S3 defaults) or default: nothing reported
    assert not resources & {"aws_security_group.app", "aws_iam_role.app", "aws_s3_bucket.trail",
                            "aws_s3_bucket_versioning.logs", "aws_s3_bucket_server_side_encryption_configuration.logs",
                            "aws_security_group.default", "aws_s3_bucket_acl.zd-logs"}
    assert {"aws_iam_user.mallory", "aws_iam_access_key.mallory", "aws_s3_bucket.zd-handmade"} <= resources
    assert {f["rule_id"] for f in json.loads(text)["findings"] if f["resource"] == "aws_s3_bucket.logs"} == {"ZD-AWS-005"}


def test_zerodrift_drift_unreachable_aws_exits_2_with_one_line(monkeypatch, tmp_path, capsys):
    from scanner.cli import main

    for name, value in aws_environment(f"http://127.0.0.1:{free_port()}", str(tmp_path)).items():
        monkeypatch.setenv(name, value)
    _templates(tmp_path, 'resource "aws_s3_bucket" "b" {\n  bucket = "zd-b"\n}\n')
    code = main(["drift", "--template", str(tmp_path / "tf"), "--live", f"aws://{REGION}"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().splitlines() == [err.strip()] and "Traceback" not in err
    assert "cannot reach AWS in eu-west-1 (EndpointConnectionError)" in err


# ---------------------------------------------------------------- second review
def test_sso_roles_ignore_changes_and_defaults_the_template_relies_on(aws_env, tmp_path, capsys):  # noqa: F811
    """IAM Identity Center roles are AWS's; lifecycle ignore_changes is honoured;
    a trail stopped by hand is drift even when the template leaves enable_logging
    at its default (true)."""
    import boto3

    from scanner.cli import main

    iam = boto3.client("iam", region_name=REGION)
    trust = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::123456789012:saml-provider/AWSSSO"}, "Action": "sts:AssumeRoleWithSAML"}]})
    iam.create_role(RoleName="AWSReservedSSO_Admin_0123456789abcdef", Path="/aws-reserved/sso.amazonaws.com/", AssumeRolePolicyDocument=trust)
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="zd-trail-logs", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_tagging(Bucket="zd-trail-logs", Tagging={"TagSet": [{"Key": "env", "Value": "changed-by-hand"}]})
    trail = boto3.client("cloudtrail", region_name=REGION)
    trail.create_trail(Name="org", S3BucketName="zd-trail-logs", IsMultiRegionTrail=True, EnableLogFileValidation=True)
    trail.start_logging(Name="org")
    trail.stop_logging(Name="org")
    _templates(tmp_path, '''
        resource "aws_s3_bucket" "logs" {
          bucket = "zd-trail-logs"
          tags   = { env = "prod" }
          lifecycle {
            ignore_changes = [tags]
          }
        }
        resource "aws_cloudtrail" "org" {
          name                       = "org"
          s3_bucket_name             = aws_s3_bucket.logs.id
          is_multi_region_trail      = true
          enable_log_file_validation = true
        }
    ''')
    code = main(["drift", "--template", str(tmp_path / "tf"), "--live", f"aws://{REGION}", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    found = {(f["rule_id"], f["resource"], f["drift"]["path"]) for f in report["findings"]}
    assert ("ZD-DRIFT-001", "aws_cloudtrail.org", "enable_logging") in found
    assert not [r for _, r, p in found if r == "aws_s3_bucket.logs" and p.startswith("tags")]
    assert not [r for _, r, _ in found if "AWSReservedSSO" in r]
    assert code == 0  # medium: below the default --fail-on high


# ---------------------------------------------------------------- standalone security group rules
STANDALONE_RULES = """
resource "aws_security_group" "web" {
  name        = "web"
  description = "web tier"
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_security_group.web.id
  description       = "https from the VPC"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "10.0.0.0/8"
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.web.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_security_group" "db" {
  name        = "db"
  description = "db tier"
}

resource "aws_security_group_rule" "pg" {
  type              = "ingress"
  security_group_id = aws_security_group.db.id
  protocol          = "6"
  from_port         = 5432
  to_port           = 5432
  cidr_blocks       = ["10.1.0.0/16", "10.2.0.0/16"]
  description       = "app subnets"
}

resource "aws_security_group_rule" "pg_from_web" {
  type                     = "ingress"
  security_group_id        = aws_security_group.db.id
  protocol                 = "tcp"
  from_port                = 5432
  to_port                  = 5432
  source_security_group_id = aws_security_group.web.id
}

resource "aws_security_group_rule" "db_out" {
  type              = "egress"
  security_group_id = aws_security_group.db.id
  protocol          = "all"
  from_port         = 0
  to_port           = 0
  cidr_blocks       = ["0.0.0.0/0"]
}
"""


def _build_standalone_rules() -> dict[str, str]:
    """Live groups as the STANDALONE_RULES templates declare them (moto keeps
    the default allow-all egress of each group, as AWS does)."""
    import boto3

    ec2 = boto3.client("ec2")
    vpc = next(v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if v.get("IsDefault"))
    web = ec2.create_security_group(GroupName="web", Description="web tier", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=web, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
         "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "https from the VPC"}]}])
    db = ec2.create_security_group(GroupName="db", Description="db tier", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=db, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
         "IpRanges": [{"CidrIp": "10.1.0.0/16", "Description": "app subnets"},
                      {"CidrIp": "10.2.0.0/16", "Description": "app subnets"}],
         "UserIdGroupPairs": [{"GroupId": web}]}])
    return {"web": web, "db": db}


def _rule_ids(group_id: str) -> dict[tuple, str]:
    import boto3

    rules = boto3.client("ec2").describe_security_group_rules(
        Filters=[{"Name": "group-id", "Values": [group_id]}])["SecurityGroupRules"]
    return {(r["IsEgress"], r.get("FromPort"), r.get("CidrIpv4") or (r.get("ReferencedGroupInfo") or {}).get("GroupId")):
            r["SecurityGroupRuleId"] for r in rules}


def test_standalone_rules_are_objects_of_their_own_and_in_sync(aws_env, tmp_path, capsys):  # noqa: F811
    from scanner.cli import main

    ids = _build_standalone_rules()
    web_rules, db_rules = _rule_ids(ids["web"]), _rule_ids(ids["db"])
    templates = _templates(tmp_path, STANDALONE_RULES)
    source = AwsSource()
    snapshot = source.load(f"aws://{REGION}", templates)
    by_key = {o.key: o for o in snapshot.objects}
    keys = {t.name: source.template_key(t) for t in templates}
    assert keys == {
        "aws_security_group.web": "aws_security_group:web",
        "aws_vpc_security_group_ingress_rule.https": "aws_vpc_security_group_ingress_rule:web:tcp:443:10.0.0.0/8",
        "aws_vpc_security_group_egress_rule.all": "aws_vpc_security_group_egress_rule:web:-1:all:0.0.0.0/0",
        "aws_security_group.db": "aws_security_group:db",
        "aws_security_group_rule.pg": "aws_security_group_rule:db:ingress:tcp:5432:10.1.0.0/16,10.2.0.0/16",
        "aws_security_group_rule.pg_from_web": "aws_security_group_rule:db:ingress:tcp:5432:sg:web",
        "aws_security_group_rule.db_out": "aws_security_group_rule:db:egress:-1:all:0.0.0.0/0",
    }
    # every template has exactly its live object; nothing else but the default group
    assert sorted(o.key for o in snapshot.objects) == sorted(set(keys.values()) | {"aws_security_group:default"})
    assert snapshot.inspected == set(keys.values())
    assert snapshot.diagnostics == []
    https = by_key[keys["aws_vpc_security_group_ingress_rule.https"]]
    assert (https.type, https.native_id, https.address, https.default) == (
        "aws_vpc_security_group_ingress_rule", web_rules[(False, 443, "10.0.0.0/8")],
        "aws_vpc_security_group_ingress_rule.https", False)
    assert https.attributes == {"security_group_id": ids["web"], "ip_protocol": "tcp", "from_port": 443, "to_port": 443,
                                "cidr_ipv4": "10.0.0.0/8", "description": "https from the VPC", "tags": {}}
    egress = by_key[keys["aws_vpc_security_group_egress_rule.all"]]
    assert egress.attributes == {"security_group_id": ids["web"], "ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0",
                                 "description": "", "tags": {}}  # no ports for protocol -1 (provider v5)
    assert egress.native_id == web_rules[(True, -1, "0.0.0.0/0")]
    # the legacy rule with two CIDRs is one object made of the two AWS rules it created
    pg = by_key[keys["aws_security_group_rule.pg"]]
    assert pg.attributes == {
        "type": "ingress", "security_group_id": ids["db"], "protocol": "tcp", "from_port": 5432, "to_port": 5432,
        "cidr_blocks": ["10.1.0.0/16", "10.2.0.0/16"], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "self": False,
        "description": "app subnets"}
    assert pg.native_id == f"{ids['db']}_ingress_tcp_5432_5432_10.1.0.0/16_10.2.0.0/16"  # the provider's import id
    assert by_key[keys["aws_security_group_rule.pg_from_web"]].attributes["source_security_group_id"] == ids["web"]
    assert db_rules[(False, 5432, ids["web"])]
    # the groups no longer carry the rules (reported once, on the rule objects)
    assert "ingress" not in by_key["aws_security_group:web"].attributes
    assert "egress" not in by_key["aws_security_group:db"].attributes
    by_name = {t.name: t for t in templates}
    for name, key in keys.items():
        assert source.compare(by_name[name], by_key[key]) == [], name

    code = main(["drift", "--template", str(tmp_path / "tf"), "--live", f"aws://{REGION}", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert (code, report["findings"]) == (0, [])  # moto's default egress of both groups is declared: no noise


def test_standalone_rules_widened_and_added_by_hand(aws_env, tmp_path, capsys):  # noqa: F811
    import boto3

    from scanner.cli import main

    ids = _build_standalone_rules()
    ec2 = boto3.client("ec2")
    ec2.revoke_security_group_ingress(GroupId=ids["web"], IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])
    ec2.authorize_security_group_ingress(GroupId=ids["web"], IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
         "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "https from the VPC"}]},
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    ec2.revoke_security_group_ingress(GroupId=ids["db"], IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "10.2.0.0/16"}]}])
    ssh_id = _rule_ids(ids["web"])[(False, 22, "0.0.0.0/0")]
    _templates(tmp_path, STANDALONE_RULES)
    code = main(["drift", "--template", str(tmp_path / "tf"), "--live", f"aws://{REGION}", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    found = [(f["rule_id"], f["severity"], f["drift"]["kind"], f["resource"], f["path"], f["drift"].get("desired"),
              f["drift"].get("failing_rules")) for f in report["findings"]]
    assert sorted(found) == [
        # one CIDR of the legacy rule was revoked
        ("ZD-DRIFT-001", "medium", "removed_in_live", "aws_security_group_rule.pg", "cidr_blocks", "10.2.0.0/16", None),
        # the old source of the widened rule is gone, the new one is a rule no template declares
        ("ZD-DRIFT-004", "medium", "missing", "aws_vpc_security_group_ingress_rule.https", "", None, None),
        # SSH opened to the internet by hand: unmanaged internet exposure, raised to ZD-AWS-001's severity
        ("ZD-DRIFT-009", "high", "unmanaged", "aws_vpc_security_group_ingress_rule.web:tcp:22:0.0.0.0/0", "", None,
         ["ZD-AWS-001"]),
        # 443 from anywhere trips no policy rule: internet exposure made by hand is still medium
        ("ZD-DRIFT-009", "medium", "unmanaged", "aws_vpc_security_group_ingress_rule.web:tcp:443:0.0.0.0/0", "", None, None),
    ]
    messages = {f["resource"]: f["message"] for f in report["findings"]}
    assert messages["aws_vpc_security_group_ingress_rule.web:tcp:443:0.0.0.0/0"].endswith(
        "no template declares it [same protocol and ports as aws_vpc_security_group_ingress_rule.https, "
        "which is missing from live]")
    ssh = next(f for f in report["findings"] if f["drift"]["native_id"] == ssh_id)
    assert f'id = "{ssh_id}"' in ssh["fix"]  # the v5 rule's import id is the security group rule id
    # no second report of the same rules through the groups (compliance drift on aws_security_group.web)
    assert not [f for f in report["findings"] if f["resource_type"] == "aws_security_group"]
    assert code == 1


def test_default_egress_without_an_egress_rule_resource_is_unmanaged(aws_env, tmp_path, capsys):  # noqa: F811
    """Terraform removes the allow-all egress AWS gives a new group; left in place
    (or put back by hand) it is drift, as for a group with inline rules."""
    from scanner.cli import main

    ids = _build_standalone_rules()
    text = STANDALONE_RULES[:STANDALONE_RULES.index('resource "aws_security_group_rule" "db_out"')]
    _templates(tmp_path, text)
    code = main(["drift", "--template", str(tmp_path / "tf"), "--live", f"aws://{REGION}", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert [(f["rule_id"], f["severity"], f["drift"]["kind"], f["resource"], f["drift"]["native_id"])
            for f in report["findings"]] == [
        ("ZD-DRIFT-007", "low", "unmanaged", "aws_vpc_security_group_egress_rule.db:-1:all:0.0.0.0/0",
         _rule_ids(ids["db"])[(True, -1, "0.0.0.0/0")])]
    assert code == 0


def test_rules_known_only_at_apply_time_fall_back_to_the_group(aws_env, tmp_path):  # noqa: F811
    """A rule whose source comes from for_each cannot be keyed: the group keeps
    its rules (the policy rules judge them there) and unmatched live rules are
    default objects, never unmanaged noise."""
    import boto3

    ids = _build_standalone_rules()
    boto3.client("ec2").authorize_security_group_ingress(GroupId=ids["web"], IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    templates = _templates(tmp_path, STANDALONE_RULES + """
resource "aws_vpc_security_group_ingress_rule" "admin" {
  for_each          = var.admin_cidrs
  security_group_id = aws_security_group.web.id
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = each.value
}
""")
    source = AwsSource()
    snapshot = source.load(f"aws://{REGION}", templates)
    by_key = {o.key: o for o in snapshot.objects}
    ssh = by_key["aws_vpc_security_group_ingress_rule:web:tcp:22:0.0.0.0/0"]
    assert ssh.default is True
    assert by_key["aws_vpc_security_group_ingress_rule:web:tcp:443:10.0.0.0/8"].default is True  # matched all the same
    assert [r["from_port"] for r in by_key["aws_security_group:web"].attributes["ingress"]] == [22, 443]
    assert "ingress" not in by_key["aws_security_group:db"].attributes  # db's rules are all keyed
    assert [d.reason for d in snapshot.diagnostics] == [
        "ec2: some standalone security group rule resources have values known only at apply time; the live rules "
        "of the groups they may belong to are judged through the group, and rules no template matches are not "
        "reported as unmanaged"]
    assert "0.0.0.0" not in snapshot.diagnostics[0].reason
