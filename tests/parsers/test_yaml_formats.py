from __future__ import annotations

import pytest

from scanner.errors import ParseError
from scanner.model import Unknown
from scanner.parsers import cloudformation
from scanner.parsers import compose
from scanner.parsers import dockerfile
from scanner.parsers import kubernetes
from scanner.parsers import tfplan
from scanner.parsers import workflows
from scanner.parsers.safe_yaml import load_documents


def test_safe_yaml_lines_anchors_and_merge_keys() -> None:
    (doc,) = load_documents("base: &b\n  x: 1\nitem:\n  <<: *b\n  y: [a, b]\n")
    assert doc.value == {"base": {"x": 1}, "item": {"x": 1, "y": ["a", "b"]}}
    assert doc.lines[("item", "y")] == 5
    assert doc.lines[("item", "y", 1)] == 5
    assert doc.lines[("base", "x")] == 2


def test_safe_yaml_keeps_timestamps_and_binary_as_text() -> None:
    (doc,) = load_documents("when: 2024-01-01\nblob: !!binary aGk=\n")
    assert doc.value == {"when": "2024-01-01", "blob": "aGk="}


def test_cloudformation_short_tags_parameters_and_lines() -> None:
    text = (
        "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Cidr:\n    Type: String\n    Default: 10.0.0.0/8\n"
        "Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      SecurityGroupIngress:\n"
        "        - CidrIp: !Ref Cidr\n          Description: !Sub '${AWS::StackName} ingress'\n"
        "          SourceSecurityGroupId: !GetAtt Other.GroupId\n"
        "          Tag: !Join ['-', [a, b]]\n"
    )
    (res,) = cloudformation.parse(text, "t.yaml")
    assert (res.type, res.name, res.start_line) == ("AWS::EC2::SecurityGroup", "Sg", 7)
    ingress = res.attributes["SecurityGroupIngress"][0]
    assert ingress["CidrIp"] == "10.0.0.0/8"
    assert isinstance(ingress["Description"], Unknown)
    assert isinstance(ingress["SourceSecurityGroupId"], Unknown)
    assert ingress["Tag"] == "a-b"
    assert res.line_of(("SecurityGroupIngress", 0, "CidrIp")) == 11


def test_cloudformation_json_and_missing_resources() -> None:
    (res,) = cloudformation.parse('{"Resources": {"B": {"Type": "AWS::S3::Bucket",\n "Properties": {"BucketName": "b"}}}}', "t.json")
    assert res.attributes == {"BucketName": "b"} and res.line_of(("BucketName",)) == 2
    with pytest.raises(ParseError):
        cloudformation.parse("AWSTemplateFormatVersion: '2010-09-09'\n", "t.yaml")


def test_kubernetes_multi_document_list_and_anchors() -> None:
    text = (
        "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: p, namespace: ns}\n    spec: {containers: []}\n"
        "---\n"
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: x\n              image: y\n"
        "---\n# just a comment\n---\nnot: kubernetes\n"
    )
    pod, cron = kubernetes.parse(text, "k.yaml")
    assert (pod.name, pod.start_line, pod.anchors["pod"]) == ("Pod/ns/p", 4, [("spec",)])
    assert cron.name == "CronJob/c"
    assert cron.anchors["containers"][0] == ("spec", "jobTemplate", "spec", "template", "spec", "containers")
    assert cron.line_of(("spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "image")) == 20


def test_dockerfile_continuations_heredoc_and_final_stage() -> None:
    text = (
        "# syntax=docker/dockerfile:1\n"
        "FROM golang:1.22 AS build\n"
        "RUN go build \\\n    -o /app \\\n    ./...\n"
        "USER builder\n"
        "FROM gcr.io/distroless/static@sha256:abc\n"
        "COPY --from=build /app /app\n"
        "RUN <<EOF\necho one\necho two\nEOF\n"
        "ENV A=1 B=\"two words\"\n"
        "USER 65532:65532\n"
    )
    (res,) = dockerfile.parse(text, "Dockerfile")
    inst = res.attributes["instructions"]
    assert [i["cmd"] for i in inst] == ["FROM", "RUN", "USER", "FROM", "COPY", "RUN", "ENV", "USER"]
    assert inst[1]["value"] == "go build -o /app ./..."
    assert res.line_of(("instructions", 2)) == 6
    assert inst[3]["image"]["digest"] == "sha256:abc" and inst[3]["stage"] == 1
    assert inst[4]["flags"] == {"from": "build"}
    assert "echo two" in inst[5]["value"]
    assert inst[6]["pairs"] == {"A": "1", "B": "two words"}
    assert res.attributes["final"]["user"] == "65532"
    assert res.line_of(("final", "user")) == 14


def test_compose_environment_list_becomes_mapping() -> None:
    text = "services:\n  web:\n    image: x\n    environment:\n      - A=1\n      - B\n"
    (res,) = compose.parse(text, "docker-compose.yml")
    assert res.name == "services.web"
    assert res.attributes["environment"] == {"A": "1", "B": None}
    assert res.line_of(("environment", "A")) == 5


def test_workflow_on_is_normalized() -> None:
    for on, expected in (("push", {"push": {}}), ("[push, pull_request]", {"push": {}, "pull_request": {}})):
        (res,) = workflows.parse(f"on: {on}\njobs: {{}}\n", ".github/workflows/ci.yml")
        assert res.attributes["on"] == expected
    (res,) = workflows.parse("on:\n  pull_request_target:\n    types: [opened]\njobs: {}\n", ".github/workflows/ci.yml")
    assert res.attributes["on"] == {"pull_request_target": {"types": ["opened"]}}
    assert res.line_of(("on", "pull_request_target")) == 2


def test_tfplan_planned_values_with_unknowns_and_modules() -> None:
    text = """{
  "format_version": "1.2",
  "planned_values": {
    "root_module": {
      "resources": [
        {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "values": {"bucket": "b"}}
      ],
      "child_modules": [{"address": "module.m", "resources": [
        {"address": "module.m.aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k", "values": {"enable_key_rotation": false}}
      ]}]
    }
  },
  "resource_changes": [
    {"address": "aws_s3_bucket.b", "change": {"actions": ["create"], "after_unknown": {"arn": true}}}
  ]
}
"""
    res = {r.name: r for r in tfplan.parse(text, "plan.json")}
    assert res["aws_s3_bucket.b"].attributes == {"bucket": "b", "arn": Unknown("known after apply")}
    assert res["aws_s3_bucket.b"].start_line == 6
    assert res["module.m.aws_kms_key.k"].schema == "terraform"
    assert tfplan.sniff(text)


def test_base_60_numbers_stay_strings_as_in_yaml_1_2() -> None:
    text = "services:\n  s:\n    image: x\n    ports:\n      - 22:22\n      - 2222:22\n      - 8080\n      - 1.5\n"
    (res,) = compose.parse(text, "docker-compose.yml")
    assert res.attributes["ports"] == ["22:22", "2222:22", 8080, 1.5]


def test_unknown_cloudformation_intrinsics_keep_their_arguments() -> None:
    text = "Resources:\n  F:\n    Type: AWS::EC2::FlowLog\n    Properties:\n      ResourceId: !GetAtt Vpc.VpcId\n      Other: !Select [0, [a]]\n      Name: !Sub 'plain'\n"
    (res,) = cloudformation.parse(text, "t.yaml")
    assert res.attributes["ResourceId"] == Unknown("Fn::GetAtt Vpc.VpcId")
    assert res.attributes["Other"] == Unknown('Fn::Select [0, ["a"]]')
    assert res.attributes["Name"] == "plain"


def test_dockerfile_marks_shipped_stages_and_keeps_repeated_flags() -> None:
    text = "FROM a AS build\nRUN x\nFROM c AS base\nRUN y\nFROM base\nRUN --mount=type=cache,target=/a --mount=type=cache,target=/b z\n"
    (res,) = dockerfile.parse(text, "Dockerfile")
    inst = res.attributes["instructions"]
    assert [(i["stage"], i["in_final"]) for i in inst] == [(0, False), (0, False), (1, True), (1, True), (2, True), (2, True)]
    assert inst[-1]["flags"]["mount"] == "type=cache,target=/a\ntype=cache,target=/b"
