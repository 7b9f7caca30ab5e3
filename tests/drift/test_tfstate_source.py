"""The Terraform state v4 drift source against real templates parsed by our
HCL parser and a state shaped like Terraform 1.11 writes it (fixtures/tfstate)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.api import collect_resources
from scanner.config import ScanConfig
from scanner.drift.model import ADDED_IN_LIVE
from scanner.drift.model import CHANGED
from scanner.drift.model import REMOVED_IN_LIVE
from scanner.drift.sources.tfstate import TerraformStateSource
from scanner.drift.sources.tfstate import compare_attributes
from scanner.drift.sources.tfstate import provider_name
from scanner.drift.sources.tfstate import read_state
from scanner.engine.evaluate import run
from scanner.engine.loader import load_rules
from scanner.errors import ParseError
from scanner.errors import UsageError
from scanner.model import Resource
from scanner.model import Unknown
from scanner.model import format_path

ROOT = Path(__file__).resolve().parent / "fixtures" / "tfstate"
STATE = ROOT / "terraform.tfstate"


@pytest.fixture(scope="module")
def templates() -> list[Resource]:
    resources, diagnostics, _ = collect_resources([str(ROOT)], ScanConfig(root=str(ROOT)))
    assert diagnostics == []
    return resources


@pytest.fixture(scope="module")
def loaded(templates):
    source = TerraformStateSource()
    return source, source.load(str(STATE), templates)


def _by_address(snapshot):
    return {o.address: o for o in snapshot.objects}


def _template(templates, key):
    source = TerraformStateSource()
    (match,) = [t for t in templates if source.template_key(t) == key]
    return match


def _changes(source, template, obj):
    return [(c.kind, format_path(c.path), c.desired, c.live) for c in source.compare(template, obj)]


def _write(tmp_path: Path, state: dict | str) -> str:
    path = tmp_path / "terraform.tfstate"
    path.write_text(state if isinstance(state, str) else json.dumps(state))
    return str(path)


def _state(*resources) -> dict:
    return {"version": 4, "terraform_version": "1.11.4", "serial": 1, "lineage": "l", "outputs": {}, "resources": list(resources)}


def _bucket(name: str, extra: dict | None = None, **instance) -> dict:
    return {"mode": "managed", "type": "aws_s3_bucket", "name": name,
            "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
            "instances": [{"schema_version": 0, "attributes": {"id": name, "bucket": name, **(extra or {})},
                           "sensitive_attributes": [], **instance}]}


# ---- reading ----------------------------------------------------------------------
def test_keys_addresses_native_ids_and_notes(loaded) -> None:
    _, snap = loaded
    rows = [(o.key, o.address, o.native_id, o.type, o.note) for o in snap.objects]
    tainted = "tainted: Terraform will replace it on the next apply"
    assert rows == [
        ("aws_db_instance.main", "aws_db_instance.main", "db-ABCDEFGHIJKLMNOPQRSTUVWXY0", "aws_db_instance", ""),
        ("aws_iam_user.deploy", 'aws_iam_user.deploy["ci"]', "deploy-ci", "aws_iam_user", ""),
        ("aws_iam_user.deploy", 'aws_iam_user.deploy["ops"]', "deploy-ops", "aws_iam_user", ""),
        ("aws_kms_key.main", "aws_kms_key.main", "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", "aws_kms_key", tainted),
        ("aws_s3_bucket.assets", "aws_s3_bucket.assets[0]", "zd-example-assets-0", "aws_s3_bucket", ""),
        ("aws_s3_bucket.assets", "aws_s3_bucket.assets[1]", "zd-example-assets-1", "aws_s3_bucket", ""),
        ("aws_s3_bucket.legacy", "aws_s3_bucket.legacy", "zd-example-legacy", "aws_s3_bucket", ""),
        ("aws_s3_bucket.logs", "aws_s3_bucket.logs", "zd-example-logs", "aws_s3_bucket", ""),
        ("aws_s3_bucket_public_access_block.logs", "aws_s3_bucket_public_access_block.logs", "zd-example-logs",
         "aws_s3_bucket_public_access_block", ""),
        ("aws_security_group.web", "aws_security_group.web", "sg-0abc1234def567890", "aws_security_group", ""),
        ("module.net.aws_security_group.internal", "module.net.aws_security_group.internal", "sg-0def5678abcd01234",
         "aws_security_group", ""),
        ("terraform_data.config", "terraform_data.config", "c1d2e3f4-a5b6-c7d8-e9f0-a1b2c3d4e5f6", "terraform_data", ""),
    ]  # the data source is not there; the deposed legacy object is a diagnostic
    assert all((o.source, o.schema, o.default, o.changes) == ("terraform-state", "terraform", False, None) for o in snap.objects)
    assert {o.provenance for o in snap.objects} == {str(STATE)}
    assert [(d.file, d.level, d.reason) for d in snap.diagnostics] == [
        (str(STATE), "warning", "resources[5]: aws_s3_bucket.legacy: deposed object (pending destroy after a "
                                "create_before_destroy replacement) left out of the comparison"),
    ]


def test_snapshot_says_last_known_with_state_identity(loaded) -> None:
    _, snap = loaded
    assert snap.properties == {"last_known": True, "state_version": 4, "resources": 12, "providers": ["aws", "terraform"],
                               "terraform_version": "1.11.4", "serial": 17, "lineage": "5f0c6a51-2d7e-4b8e-9a41-0c3de2b1f7a9"}
    assert snap.drift_only is False


def test_template_keys_only_for_real_resources(templates) -> None:
    source = TerraformStateSource()
    keys = {t.name: source.template_key(t) for t in templates}
    assert keys == {
        "provider.aws": None,
        "data.aws_caller_identity.current": None,
        "module.net": None,
        "aws_security_group.web": "aws_security_group.web",
        "aws_s3_bucket.logs": "aws_s3_bucket.logs",
        "aws_s3_bucket_public_access_block.logs": "aws_s3_bucket_public_access_block.logs",
        "aws_s3_bucket.assets": "aws_s3_bucket.assets",
        "aws_db_instance.main": "aws_db_instance.main",
        "aws_kms_key.main": "aws_kms_key.main",
        "aws_iam_user.deploy": "aws_iam_user.deploy",
        "terraform_data.config": "terraform_data.config",
        "aws_s3_bucket.never_applied": "aws_s3_bucket.never_applied",
        "module.net.aws_security_group.internal": "module.net.aws_security_group.internal",
    }


def test_unmanaged_and_missing_come_out_of_the_keys(loaded, templates) -> None:
    source, snap = loaded
    template_keys = {source.template_key(t) for t in templates} - {None}
    live_keys = {o.key for o in snap.objects}
    assert sorted(live_keys - template_keys) == ["aws_s3_bucket.legacy"]  # unmanaged: no template declares it
    assert sorted((template_keys - live_keys) & snap.inspected) == ["aws_s3_bucket.never_applied"]
    assert snap.inspected == template_keys


def test_templates_of_a_root_the_state_does_not_know_are_not_inspected(tmp_path, templates) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "main.tf").write_text('resource "aws_s3_bucket" "elsewhere" {\n  bucket = "x"\n}\n')
    extra, _, _ = collect_resources([str(other)], ScanConfig(root=str(tmp_path)))
    snap = TerraformStateSource().load(str(STATE), templates + extra)
    assert "aws_s3_bucket.elsewhere" not in snap.inspected
    assert "aws_s3_bucket.never_applied" in snap.inspected


# ---- comparing ----------------------------------------------------------------------
def test_security_group_opened_to_the_internet_on_22(loaded, templates) -> None:
    source, snap = loaded
    obj = _by_address(snap)["aws_security_group.web"]
    changes = source.compare(_template(templates, "aws_security_group.web"), obj)
    assert [(c.kind, format_path(c.path), c.desired, c.live, c.pointer) for c in changes] == [
        (ADDED_IN_LIVE, "ingress", None,
         {"cidr_blocks": ["0.0.0.0/0"], "description": "", "from_port": 22, "ipv6_cidr_blocks": [], "prefix_list_ids": [],
          "protocol": "tcp", "security_groups": [], "self": False, "to_port": 22}, "/ingress/0"),
        (REMOVED_IN_LIVE, "ingress",
         {"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"]}, None, ""),
    ]  # the 443 rule ("443" in the template, 443 in state), egress, tags vs tags_all: in sync


def test_public_access_block_turned_off(loaded, templates) -> None:
    source, snap = loaded
    obj = _by_address(snap)["aws_s3_bucket_public_access_block.logs"]
    template = _template(templates, "aws_s3_bucket_public_access_block.logs")
    assert _changes(source, template, obj) == [(CHANGED, "block_public_acls", True, False)]
    assert [c.pointer for c in source.compare(template, obj)] == ["/block_public_acls"]


def test_counted_instances_match_one_template_and_an_added_tag_is_drift(loaded, templates) -> None:
    source, snap = loaded
    template = _template(templates, "aws_s3_bucket.assets")
    objs = _by_address(snap)
    assert _changes(source, template, objs["aws_s3_bucket.assets[0]"]) == []
    assert _changes(source, template, objs["aws_s3_bucket.assets[1]"]) == [(ADDED_IN_LIVE, "tags.Owner", None, "mallory")]


@pytest.mark.parametrize("key,address", [
    ("aws_s3_bucket.logs", "aws_s3_bucket.logs"),  # jsonencode policy vs JSON text, versioning block vs state defaults, tags_all
    ("aws_db_instance.main", "aws_db_instance.main"),  # allocated_storage "20" vs 20, password var unknown
    ("module.net.aws_security_group.internal", "module.net.aws_security_group.internal"),  # CIDRs in another order
    ("aws_kms_key.main", "aws_kms_key.main"),
    ("aws_iam_user.deploy", 'aws_iam_user.deploy["ci"]'),
    ("aws_iam_user.deploy", 'aws_iam_user.deploy["ops"]'),
    ("terraform_data.config", "terraform_data.config"),  # DynamicPseudoType unwrapped
])
def test_in_sync_resources_report_nothing_despite_state_defaults(loaded, templates, key, address) -> None:
    source, snap = loaded
    assert _changes(source, _template(templates, key), _by_address(snap)[address]) == []


def test_state_values_really_differ_from_the_template_literals(loaded, templates) -> None:
    # guards the test above: the normalizations are what make them equal
    _, snap = loaded
    objs = _by_address(snap)
    logs = _template(templates, "aws_s3_bucket.logs")
    assert logs.attributes["policy"] != objs["aws_s3_bucket.logs"].attributes["policy"]
    assert objs["aws_s3_bucket.logs"].attributes["versioning"] == [{"enabled": True, "mfa_delete": False}]
    assert _template(templates, "aws_db_instance.main").attributes["allocated_storage"] == "20"
    internal = _template(templates, "module.net.aws_security_group.internal")
    assert internal.attributes["ingress"][0]["cidr_blocks"] == ["10.20.0.0/16", "10.10.0.0/16"]
    assert objs["module.net.aws_security_group.internal"].attributes["ingress"][0]["cidr_blocks"] == ["10.10.0.0/16", "10.20.0.0/16"]


def test_a_real_difference_in_a_normalized_attribute_is_still_reported() -> None:
    assert [(c.kind, c.path, c.desired, c.live) for c in compare_attributes({"port": "444", "n": 1.5}, {"port": 443, "n": 1.5})] == [
        (CHANGED, ("port",), 444, 443)]
    assert compare_attributes({"port": "443", "enabled": "true", "size": 20}, {"port": 443, "enabled": True, "size": "20"}) == []
    policy = '{"Statement":[{"Action":"s3:GetObject","Effect":"Allow","Resource":"*"}]}'
    changed = compare_attributes({"policy": policy}, {"policy": policy.replace("GetObject", "*")})
    assert [(c.kind, c.path) for c in changed] == [(CHANGED, ("policy",))]
    assert compare_attributes({"container_definitions": '[{"name": "a", "cpu": 1}]'},
                              {"container_definitions": '[{"cpu":1,"name":"a"}]'}) == []


def test_meta_arguments_ignore_changes_and_dynamic_blocks_are_not_drift(tmp_path) -> None:
    (tmp_path / "main.tf").write_text("""
variable "ports" {
  default = [22]
}
resource "aws_security_group" "d" {
  count = 1
  name  = "d"
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port = ingress.value
      to_port   = ingress.value
      protocol  = "tcp"
    }
  }
  dynamic "setting" {
    for_each = var.ports
    content {
      name = "s${setting.value}"
    }
  }
  tags = { Name = "d" }
  lifecycle {
    ignore_changes = [tags]
  }
  depends_on = [aws_vpc.main]
  timeouts {
    create = "5m"
  }
}
""")
    (template,) = [r for r in collect_resources([str(tmp_path)], ScanConfig(root=str(tmp_path)))[0] if r.type == "aws_security_group"]
    live = {"name": "d", "tags": {"Name": "changed-by-hand"}, "timeouts": None,
            "ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": []}],
            "setting": [{"name": "s22"}, {"name": "s443"}]}
    assert compare_attributes(template.attributes, live) == []
    live["name"] = "e"
    assert [(c.kind, c.path, c.desired, c.live) for c in compare_attributes(template.attributes, live)] == [(CHANGED, ("name",), "d", "e")]
    all_ignored = dict(template.attributes, lifecycle=[{"ignore_changes": Unknown("all")}])
    assert compare_attributes(all_ignored, live) == []


def test_policy_rules_judge_the_live_shape(loaded, templates) -> None:
    # the pipeline runs the rules on Resource(attributes=obj.attributes): the state shape must trip them
    _, snap = loaded
    rules = load_rules()
    objs = _by_address(snap)

    def failing(resource: Resource) -> set[str]:
        return {f.rule_id for f in run([resource], rules).findings}

    for address, rule in [("aws_security_group.web", "ZD-AWS-001"), ("aws_s3_bucket_public_access_block.logs", "ZD-AWS-006")]:
        obj = objs[address]
        live = Resource(format="tfstate", schema=obj.schema, type=obj.type, name=obj.address, file="terraform.tfstate",
                        start_line=1, end_line=1, attributes=obj.attributes)
        assert rule in failing(live)
        assert rule not in failing(_template(templates, obj.key))


# ---- sensitive values -------------------------------------------------------------
def test_sensitive_attributes_become_path_prefixes(loaded) -> None:
    _, snap = loaded
    assert _by_address(snap)["aws_db_instance.main"].sensitive == (("password",),)
    assert _by_address(snap)["aws_security_group.web"].sensitive == ()


def test_terraform_1_11_index_steps_and_the_unmarked_output_copy(tmp_path) -> None:
    cfg = {"value": {"list": ["pw"], "name": "a"}, "type": ["object", {"list": ["tuple", ["string"]], "name": "string"}]}
    entry = {"mode": "managed", "type": "terraform_data", "name": "each",
             "provider": 'provider["terraform.io/builtin/terraform"]',
             "instances": [{"index_key": "a", "schema_version": 0,
                            "attributes": {"id": "x", "input": cfg, "output": cfg, "triggers_replace": None},
                            "sensitive_attributes": [[{"type": "get_attr", "value": "input"}, {"type": "get_attr", "value": "list"},
                                                      {"type": "index", "value": {"value": 0, "type": "number"}}],
                                                     [{"type": "get_attr", "value": "triggers_replace"},
                                                      {"type": "index", "value": "k"}]]}]}
    (obj,) = TerraformStateSource().load(_write(tmp_path, _state(entry)), []).objects
    assert obj.sensitive == (("input", "list", 0), ("output", "list", 0), ("triggers_replace", "k"))
    assert obj.attributes["input"] == {"list": ["pw"], "name": "a"}
    assert obj.address == 'terraform_data.each["a"]'


def test_unreadable_sensitive_attributes_hide_everything(tmp_path) -> None:
    entry = _bucket("b", {"password": "hunter2"}, sensitive_attributes=[{"type": "get_attr"}])
    snap = read_state(json.dumps(_state(entry)), "s.tfstate")
    assert snap.objects[0].sensitive == (("bucket",), ("id",), ("password",))
    assert [d.reason for d in snap.diagnostics] == [
        "resources[0]: aws_s3_bucket.b: unreadable sensitive_attributes; every attribute is treated as sensitive"]
    assert "hunter2" not in repr(snap.diagnostics)


def test_a_path_unreadable_from_its_first_step_hides_every_attribute() -> None:
    entry = _bucket("b", {"token": "t"}, sensitive_attributes=[[{"type": "get_attr_v2", "value": "token"}]])
    (obj,) = read_state(json.dumps(_state(entry))).objects
    assert obj.sensitive == (("bucket",), ("id",), ("token",))


# ---- shapes of the state format -------------------------------------------------
def test_module_instance_keys_and_indexes(tmp_path) -> None:
    entry = _bucket("b", index_key=3)
    entry["module"] = 'module.edge["eu-west-1"].module.cdn[0]'
    (obj,) = read_state(json.dumps(_state(entry))).objects
    assert (obj.key, obj.address) == ("module.edge.module.cdn.aws_s3_bucket.b",
                                      'module.edge["eu-west-1"].module.cdn[0].aws_s3_bucket.b[3]')


@pytest.mark.parametrize("provider,name", [
    ('provider["registry.terraform.io/hashicorp/aws"]', "aws"),
    ('provider["registry.terraform.io/hashicorp/aws"].west', "aws.west"),
    ('module.net.provider["registry.terraform.io/hashicorp/google"].eu', "google.eu"),
    ("provider.aws.west", "aws.west"),
    (7, ""),
])
def test_provider_configuration_with_alias(provider, name) -> None:
    assert provider_name(provider) == name


def test_dynamic_wrapper_is_only_removed_when_it_is_one() -> None:
    tags_like = {"value": "x", "type": "not-a-cty-type"}
    entry = _bucket("b", {"tags": tags_like, "input": {"value": [1], "type": ["list", "number"]},
                          "mismatch": {"value": "s", "type": "number"}})
    (obj,) = read_state(json.dumps(_state(entry))).objects
    assert obj.attributes["tags"] == tags_like
    assert obj.attributes["input"] == [1]
    assert obj.attributes["mismatch"] == {"value": "s", "type": "number"}


def test_attributes_flat_from_terraform_0_11_are_rebuilt(tmp_path) -> None:
    flat = {"id": "sg-1", "name": "old", "ingress.#": "1", "ingress.2541437006.from_port": "22",
            "ingress.2541437006.to_port": "22", "ingress.2541437006.protocol": "tcp",
            "ingress.2541437006.cidr_blocks.#": "1", "ingress.2541437006.cidr_blocks.0": "0.0.0.0/0",
            "tags.%": "1", "tags.kubernetes.io/cluster/a": "owned"}
    entry = {"mode": "managed", "type": "aws_security_group", "name": "old", "provider": "provider.aws",
             "instances": [{"schema_version": 1, "attributes_flat": flat}]}
    (obj,) = read_state(json.dumps(_state(entry))).objects
    assert obj.attributes == {"id": "sg-1", "name": "old", "tags": {"kubernetes.io/cluster/a": "owned"},
                              "ingress": [{"from_port": "22", "to_port": "22", "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]}
    assert obj.note == "rebuilt from a Terraform 0.11 flat attribute map: values are untyped strings"
    template = {"name": "old", "ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"]}]}
    assert [(c.kind, c.path) for c in compare_attributes(template, obj.attributes)] == [(ADDED_IN_LIVE, ("ingress",)), (REMOVED_IN_LIVE, ("ingress",))]
    template["ingress"][0]["cidr_blocks"] = ["0.0.0.0/0"]
    assert compare_attributes(template, obj.attributes) == []


def test_identity_and_unknown_keys_are_ignored() -> None:
    entry = _bucket("b", identity={"bucket": "b"}, identity_schema_version=0, something_new=[1])
    entry["future_key"] = {"x": 1}
    state = _state(entry)
    state["check_results"] = [{"object_kind": "resource"}]
    state["whatever"] = True
    (obj,) = read_state(json.dumps(state)).objects
    assert (obj.address, obj.attributes) == ("aws_s3_bucket.b", {"id": "b", "bucket": "b"})


# ---- bad input --------------------------------------------------------------------
@pytest.mark.parametrize("text,fragment", [
    ((ROOT / "v3.tfstate").read_text(), "unsupported Terraform state version 3: only version 4"),
    ('{"version": "4x-hunter2"}', "unsupported Terraform state version that is not a number"),
    ("{not json at all", "not a Terraform state: invalid JSON"),
    ("[1, 2]", "the top level is not a JSON object"),
    ('{"resources": []}', "no 'version' key"),
    ('{"version": 4, "resources": {"a": 1}}', "'resources' is not a list"),
    ("[" * 200_000 + "]" * 200_000, "not a Terraform state"),
])
def test_unusable_states_are_one_clear_parse_error(tmp_path, text, fragment) -> None:
    with pytest.raises(ParseError) as info:
        TerraformStateSource().load(_write(tmp_path, text), [])
    assert fragment in info.value.reason
    assert "hunter2" not in info.value.reason


def test_missing_state_file_is_a_usage_error(tmp_path) -> None:
    with pytest.raises(UsageError, match="cannot read"):
        TerraformStateSource().load(str(tmp_path / "nope.tfstate"), [])


def test_broken_entries_are_diagnostics_and_the_rest_is_read() -> None:
    deep: dict = {}
    node = deep
    for _ in range(150):
        node["x"] = {}
        node = node["x"]
    state = _state(
        "not an object",
        {"mode": "managed", "type": "aws s3 bucket", "name": "b", "instances": []},
        {"mode": "weird", "type": "aws_s3_bucket", "name": "b", "instances": []},
        _bucket("bad_module") | {"module": "module.a..b"},
        _bucket("bad_index", index_key=True),
        _bucket("bad_status", status="half-baked"),
        _bucket("bad_attrs") | {"instances": [{"attributes": ["secret-in-list"]}]},
        _bucket("too_deep", {"deep": deep}),
        _bucket("good"),
    )
    snap = read_state(json.dumps(state), "s.tfstate")
    assert [o.address for o in snap.objects] == ["aws_s3_bucket.good"]
    assert [d.reason for d in snap.diagnostics] == [
        "resources[0]: not an object; entry skipped",
        "resources[1]: missing or invalid resource type or name; entry skipped",
        "resources[2]: unsupported resource mode; entry skipped",
        "resources[3]: invalid module address; entry skipped",
        "resources[4]: aws_s3_bucket.bad_index instance 0: invalid index_key; instance skipped",
        "resources[5]: aws_s3_bucket.bad_status instance 0: unsupported status; instance skipped",
        "resources[6]: aws_s3_bucket.bad_attrs instance 0: 'attributes' is not an object; instance skipped",
        "resources[7]: aws_s3_bucket.too_deep instance 0: attributes nested too deeply; instance skipped",
    ]
    assert all(d.level == "warning" and d.file == "s.tfstate" for d in snap.diagnostics)
    assert "secret-in-list" not in repr(snap.diagnostics)
