"""Reading drift from `terraform show -json` plans (fixtures shaped after the
fake-provider run in shared/docs/drift.md section 3.3)."""
from __future__ import annotations

from pathlib import Path

import pytest

from scanner.drift.sources.terraform_plan import read
from scanner.errors import ParseError
from scanner.model import format_path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _objects():
    return {o.address: o for o in read((FIXTURES / "refresh-only-plan.json").read_text())}


def test_changed_missing_and_no_noise() -> None:
    objects = _objects()
    assert sorted(objects) == ["aws_db_instance.main", "aws_s3_bucket.assets", "aws_s3_bucket.logs", "module.net.aws_security_group.web[0]"]
    sg = objects["module.net.aws_security_group.web[0]"]
    assert (sg.key, sg.type) == ("module.net.aws_security_group.web", "aws_security_group")
    assert [(c.kind, format_path(c.path), c.desired, c.live) for c in sg.changes] == [
        ("added_in_live", "ingress_cidrs[1]", None, "0.0.0.0/0"),  # a list, not a set, in this provider
        ("changed", "ingress_port", 443, 22),
    ]  # tags_all (computed) and the unchanged ingress block are not drift
    logs = objects["aws_s3_bucket.logs"]
    assert [(c.kind, format_path(c.path), c.desired, c.live) for c in logs.changes] == [
        ("changed", "block_public_access", True, False),
        ("removed_in_live", "sse_algorithm", "aws:kms", None),
    ]
    assets = objects["aws_s3_bucket.assets"]
    assert assets.attributes is None and assets.changes == [] and assets.desired["bucket"]


def test_set_typed_attributes_ignore_order_and_data_sources_are_skipped() -> None:
    objects = _objects()
    assert "aws_security_group.sets" not in objects
    assert "data.aws_region.current" not in objects


def test_sensitive_masks_become_path_prefixes() -> None:
    db = _objects()["aws_db_instance.main"]
    assert db.sensitive == (("custom",),)  # password is masked by its name when reported
    assert {format_path(c.path) for c in db.changes} == {"custom", "password"}


def test_no_resource_drift_key_means_no_drift() -> None:
    assert read('{"format_version": "1.2", "planned_values": {}}') == []


@pytest.mark.parametrize("text,fragment", [
    ('{"@level":"info","@message":"Terraform 1.11.4","type":"version"}\n{"@level":"info","type":"resource_drift"}\n', "streaming 'terraform plan -json' log"),
    ("{not json", "invalid JSON"),
    ('{"resources": []}', "not a Terraform plan"),
])
def test_wrong_inputs_are_clear_errors(text: str, fragment: str) -> None:
    with pytest.raises(ParseError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        read(text)
