"""Reading drift from `terraform show -json` plans (fixtures shaped after the
fake-provider run in shared/docs/drift.md section 3.3)."""
from __future__ import annotations

from pathlib import Path

import pytest

from scanner.drift.sources.terraform_plan import REDACTED
from scanner.drift.sources.terraform_plan import read
from scanner.errors import ParseError

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _items():
    return {i.address: i for i in read((FIXTURES / "refresh-only-plan.json").read_text())}


def test_changed_missing_and_no_noise() -> None:
    items = _items()
    assert sorted(items) == ["aws_db_instance.main", "aws_s3_bucket.assets", "aws_s3_bucket.logs", "module.net.aws_security_group.web[0]"]
    sg = items["module.net.aws_security_group.web[0]"]
    assert (sg.kind, sg.module, sg.type, sg.name) == ("changed", "module.net", "aws_security_group", "web")
    assert [(c.path, c.desired, c.live) for c in sg.changes] == [
        (("ingress_cidrs",), ["10.0.0.0/16"], ["10.0.0.0/16", "0.0.0.0/0"]),
        (("ingress_port",), 443, 22),
    ]  # tags_all (computed) and the unchanged ingress block are not drift
    logs = items["aws_s3_bucket.logs"]
    assert {c.path: (c.desired, c.live) for c in logs.changes} == {("block_public_access",): (True, False), ("sse_algorithm",): ("aws:kms", None)}
    assert items["aws_s3_bucket.assets"].kind == "missing"


def test_set_typed_attributes_ignore_order_and_data_sources_are_skipped() -> None:
    items = _items()
    assert "aws_security_group.sets" not in items
    assert "data.aws_region.current" not in items


def test_sensitive_values_are_redacted_by_mask_and_by_name() -> None:
    db = _items()["aws_db_instance.main"]
    assert {c.path: (c.desired, c.live) for c in db.changes} == {("custom",): (REDACTED, REDACTED), ("password",): (REDACTED, REDACTED)}
    assert "Pa55word" not in repr(db)


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
