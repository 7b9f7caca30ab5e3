"""The condition language: operators, paths, anchors and three-valued logic."""
from __future__ import annotations

import pytest

from scanner.engine.conditions import compile_condition
from scanner.engine.operators import OPERATORS
from scanner.engine.paths import parse_path
from scanner.model import Resource
from scanner.model import Unknown


def _res(attrs, anchors=None) -> Resource:
    return Resource("kubernetes", "kubernetes", "Pod", "Pod/x", "x.yaml", 1, 1, attrs, {}, (), anchors or {})


def _judge(cond: dict, attrs, anchors=None, params=None):
    return compile_condition(cond)(_res(attrs, anchors), attrs, (), params or {})


@pytest.mark.parametrize("op,actual,expected,result", [
    ("equals", "true", True, True), ("equals", "80", 80, True), ("equals", "a", "b", False),
    ("not_equals", 1, 2, True), ("in", "x", ["x", "y"], True), ("not_in", "x", ["y"], True),
    ("regex", "nginx:latest", ":latest$", True), ("regex", {"a": 1}, "a", None), ("not_regex", "a", "b", True),
    ("gt", 3, 2, True), ("gte", "2", 2, True), ("lt", "x", 1, None), ("lte", 1, 1, True),
    ("contains", ["a", "b"], "b", True), ("contains", "abc", "b", True), ("contains", {"k": 1}, "k", True),
    ("contains", ["a", Unknown("v")], "b", None),
    ("truthy", "yes", None, True), ("truthy", None, None, False), ("falsy", "false", None, True),
    ("cidr_open", "0.0.0.0/0", None, True), ("cidr_open", "::/0", None, True), ("cidr_open", "Internet", None, True),
    ("cidr_open", "10.0.0.0/8", None, False), ("cidr_open", "not-a-cidr", None, False),
    ("port_in", "20-25", 22, True), ("port_in", "*", 22, True), ("port_in", 443, 22, False), ("port_in", -1, 22, True),
    ("length_gt", [1, 2], 1, True),
])
def test_operators(op, actual, expected, result) -> None:
    assert OPERATORS[op](actual, expected) is result


def test_path_syntax() -> None:
    from scanner.engine.paths import LIST_WILD
    from scanner.engine.paths import MAP_WILD
    from scanner.engine.paths import PathSyntaxError

    assert parse_path('$containers[*].env[0]["a.b/c"].*') == ("containers", (LIST_WILD, "env", 0, "a.b/c", MAP_WILD))
    assert parse_path("a.b") == (None, ("a", "b"))
    with pytest.raises(PathSyntaxError):
        parse_path("a.$b")


def test_each_points_at_the_offending_element_and_line() -> None:
    attrs = {"ingress": [{"port": 443, "cidr": "0.0.0.0/0"}, {"port": 22, "cidr": "0.0.0.0/0"}]}
    cond = {"each": "ingress[*]", "where": {"all": [{"path": "cidr", "op": "cidr_open"}, {"path": "port", "op": "equals", "value": 22}]}}
    assert _judge(cond, attrs) == (True, ("ingress", 1, "cidr"))


def test_unknown_is_never_a_verdict() -> None:
    attrs = {"cidr": Unknown("var.x"), "port": 22}
    assert _judge({"path": "cidr", "op": "cidr_open"}, attrs)[0] is None
    assert _judge({"not": {"path": "cidr", "op": "cidr_open"}}, attrs)[0] is None
    assert _judge({"all": [{"path": "port", "op": "equals", "value": 22}, {"path": "cidr", "op": "cidr_open"}]}, attrs)[0] is None
    assert _judge({"all": [{"path": "port", "op": "equals", "value": 80}, {"path": "cidr", "op": "cidr_open"}]}, attrs)[0] is False
    assert _judge({"any": [{"path": "port", "op": "equals", "value": 22}, {"path": "cidr", "op": "cidr_open"}]}, attrs)[0] is True
    assert _judge({"path": "cidr", "op": "absent"}, attrs)[0] is None


def test_absent_and_exists_point_at_the_missing_path() -> None:
    assert _judge({"path": "a.b", "op": "absent"}, {"a": {}}) == (True, ("a", "b"))
    assert _judge({"path": "a.b", "op": "absent"}, {"a": {"b": None}}) == (True, ("a", "b"))
    assert _judge({"path": "a.b", "op": "exists"}, {"a": {"b": 0}}) == (True, ("a", "b"))


def test_quantifier_all_and_wildcards() -> None:
    attrs = {"tags": {"a": "x", "b": "y"}, "list": [1, 2]}
    assert _judge({"path": "tags.*", "op": "regex", "value": "^[xy]$", "quantifier": "all"}, attrs)[0] is True
    assert _judge({"path": "list[*]", "op": "gt", "value": 1, "quantifier": "all"}, attrs)[0] is False


def test_key_on_list_of_blocks_and_lone_mapping_as_list() -> None:
    assert _judge({"path": "versioning.enabled", "op": "falsy"}, {"versioning": [{"enabled": False}]}) == (True, ("versioning", 0, "enabled"))
    assert _judge({"path": "rules[*].x", "op": "equals", "value": 1}, {"rules": {"x": 1}}) == (True, ("rules", "x"))


def test_anchors_expand_to_every_base_path() -> None:
    attrs = {"spec": {"initContainers": [{"privileged": True}], "containers": [{"privileged": False}]}}
    anchors = {"containers": [("spec", "containers"), ("spec", "initContainers")]}
    assert _judge({"path": "$containers[*].privileged", "op": "truthy"}, attrs, anchors) == (True, ("spec", "initContainers", 0, "privileged"))
    assert _judge({"path": "$containers[*].privileged", "op": "truthy"}, attrs, {})[0] is False


def test_parameters() -> None:
    cond = {"path": "region", "op": "not_in", "value": {"param": "allowed"}}
    assert _judge(cond, {"region": "us-east-1"}, params={"allowed": ["eu-west-1"]})[0] is True


def test_booleans_never_equal_numbers() -> None:
    assert OPERATORS["equals"](True, 1) is False
    assert OPERATORS["equals"](False, 0) is False
    assert OPERATORS["in"](0, [False]) is False
    assert OPERATORS["equals"]("True", True) is True


def test_absent_through_an_anchor_needs_the_anchor_and_keeps_its_prefix() -> None:
    cond = {"path": "$pod.securityContext", "op": "absent"}
    assert _judge(cond, {"data": {}}, {})[0] is False  # a ConfigMap has no pod spec
    assert _judge(cond, {"spec": {}}, {"pod": [("spec",)]}) == (True, ("spec", "securityContext"))


def test_finding_paths_round_trip_through_the_rule_path_syntax() -> None:
    from scanner.model import format_path

    path = ("metadata", "annotations", "service.beta.kubernetes.io/aws-load-balancer-internal", 0)
    text = format_path(path)
    assert text == 'metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-internal"][0]'
    assert parse_path(text) == (None, path)


def test_top_level_each_reports_every_offending_element() -> None:
    from scanner.engine.conditions import compile_all_hits

    attrs = {"spec": {"containers": [{"name": "a", "privileged": True}, {"name": "b"}, {"name": "c", "privileged": "true"}]}}
    hits = compile_all_hits({"each": "$containers[*]", "where": {"path": "privileged", "op": "truthy"}})(
        _res(attrs, {"containers": [("spec", "containers")]}), {})
    assert hits == ([("spec", "containers", 0, "privileged"), ("spec", "containers", 2, "privileged")], False)
    single = compile_all_hits({"path": "$containers[*].privileged", "op": "truthy"})
    assert single(_res(attrs, {"containers": [("spec", "containers")]}), {}) == ([("spec", "containers", 0, "privileged")], False)
    unknown = {"spec": {"containers": [{"name": "a", "privileged": Unknown("var.p")}]}}
    assert compile_all_hits({"each": "$containers[*]", "where": {"path": "privileged", "op": "truthy"}})(
        _res(unknown, {"containers": [("spec", "containers")]}), {}) == ([], True)


def test_key_of_the_visited_element() -> None:
    cond = {"each": "environment.*", "where": {"all": [
        {"path": "@key", "op": "regex", "value": "(?i)password|secret|token"},
        {"path": "@key", "op": "not_regex", "value": "_FILE$"},
    ]}}
    assert _judge(cond, {"environment": {"A": "1", "DB_PASSWORD": "x"}}) == (True, ("environment", "DB_PASSWORD"))
    assert _judge(cond, {"environment": {"DB_PASSWORD_FILE": "/run/secrets/db"}})[0] is False


def test_no_value_is_known_not_unknown() -> None:
    assert OPERATORS["regex"](None, "x") is False
    assert OPERATORS["not_regex"](None, "x") is True
    assert OPERATORS["gt"](None, 1) is False


def test_an_unknown_parent_makes_children_unknown_not_absent() -> None:
    attrs = {"versioning": Unknown("var.v")}
    assert _judge({"path": "versioning.enabled", "op": "absent"}, attrs)[0] is None
    assert _judge({"not": {"path": "versioning.enabled", "op": "exists"}}, attrs)[0] is None
    assert _judge({"path": "versioning.enabled", "op": "falsy"}, attrs)[0] is None
    assert _judge({"not": {"each": "rules[*]", "where": {"path": "x", "op": "truthy"}}}, {"rules": Unknown("var.r")})[0] is None


def test_dot_is_the_visited_element_itself() -> None:
    cond = {"each": "metadata.annotations.*", "where": {"all": [
        {"path": "@key", "op": "regex", "value": "^container.apparmor"},
        {"path": ".", "op": "equals", "value": "unconfined"},
    ]}}
    ok = {"metadata": {"annotations": {"container.apparmor.security.beta.kubernetes.io/a": "runtime/default", "other": "unconfined"}}}
    bad = {"metadata": {"annotations": {"container.apparmor.security.beta.kubernetes.io/a": "unconfined"}}}
    assert _judge(cond, ok)[0] is False
    assert _judge(cond, bad) == (True, ("metadata", "annotations", "container.apparmor.security.beta.kubernetes.io/a"))


def test_empty_lists_count_as_absent_empty_mappings_do_not() -> None:
    assert _judge({"path": "network_acls", "op": "absent"}, {"network_acls": []}) == (True, ("network_acls",))
    assert _judge({"path": "permissions", "op": "exists"}, {"permissions": {}})[0] is True
    assert _judge({"path": "network_acls", "op": "exists"}, {"network_acls": [{"default_action": "Deny"}]})[0] is True
