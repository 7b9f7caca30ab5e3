"""Rule and policy loading: schema validation with precise errors, policy selection and tuning."""
from __future__ import annotations

from pathlib import Path

import pytest

from scanner.engine.loader import apply_policy
from scanner.engine.loader import available_policies
from scanner.engine.loader import load_policy
from scanner.engine.loader import load_rules
from scanner.errors import UsageError

VALID = """id: ZD-CUSTOM-001
name: thing-without-name
title: A thing has no name at all
severity: medium
description: Flags x_thing resources without a name attribute.
why: Unnamed things cannot be audited by anyone.
fix: Give it a name.
references: [https://example.com/docs]
frameworks: {soc2: [CC7.2]}
zero_trust_pillar: visibility
checks:
  - schema: terraform
    types: [x_thing]
    match: {path: name, op: absent}
"""


def _write(tmp_path: Path, text: str, name: str = "ZD-CUSTOM-001.yaml") -> Path:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text)
    return folder


def test_custom_rule_loads_with_domain_custom(tmp_path: Path) -> None:
    rules = load_rules((str(_write(tmp_path, VALID)),))
    assert rules["ZD-CUSTOM-001"].domain == "custom"


@pytest.mark.parametrize("edit,fragment", [
    (("severity: medium", "severity: severe"), "invalid at /severity:"),
    (("op: absent}", "op: absent, value: 1}"), "invalid at /checks/0/match"),
    (("op: absent", "op: equals"), "invalid at /checks/0/match"),
    (("references: [https://example.com/docs]", "references: []"), "invalid at /references:"),
    (("match: {path: name, op: absent}", "python: no_such_check"), "unknown Python check 'no_such_check'"),
    (("match: {path: name, op: absent}", "match: {path: 'a.$b', op: exists}"), "invalid at /checks/0/match: anchor must start the path"),
    (("title: A thing has no name at all\n", "title: A thing has no name at all\nbogus: 1\n"), "Additional properties are not allowed"),
    (("id: ZD-CUSTOM-001", "id: ZD-CUSTOM-002"), "file name must be the rule id"),
    (("checks:", "checks: [\n"), "invalid YAML"),
])
def test_broken_rule_file_is_a_usage_error_naming_file_pointer_and_reason(tmp_path: Path, edit, fragment: str) -> None:
    folder = _write(tmp_path, VALID.replace(*edit))
    with pytest.raises(UsageError) as info:
        load_rules((str(folder),))
    message = str(info.value)
    assert "ZD-CUSTOM-001.yaml" in message and fragment in message


def test_duplicate_rule_id_is_an_error(tmp_path: Path) -> None:
    folder = _write(tmp_path, VALID.replace("id: ZD-CUSTOM-001", "id: ZD-AWS-001"), "ZD-AWS-001.yaml")
    with pytest.raises(UsageError, match="duplicate rule id ZD-AWS-001"):
        load_rules((str(folder),))


def test_default_policy_selects_every_stable_rule() -> None:
    rules = load_rules()
    selected = apply_policy(rules, load_policy("default"))
    assert set(selected) == {r for r in rules if rules[r].status == "stable"}
    assert "default" in available_policies()


def test_policy_selects_excludes_and_tunes(tmp_path: Path) -> None:
    rules = load_rules((str(_write(tmp_path, VALID)),))
    pack = tmp_path / "team.yaml"
    pack.write_text(
        "name: team\ndescription: only custom rules, louder\n"
        "select: [{domains: [custom]}, {ids: [ZD-AWS-001]}]\nexclude: [{ids: [ZD-AWS-001]}]\n"
        "severity: {ZD-CUSTOM-001: critical}\nparameters: {ZD-CUSTOM-001: {limit: 3}}\n"
    )
    selected = apply_policy(rules, load_policy(str(pack)))
    assert list(selected) == ["ZD-CUSTOM-001"]
    assert selected["ZD-CUSTOM-001"].severity == "critical"
    assert selected["ZD-CUSTOM-001"].parameters == {"limit": 3}
    assert rules["ZD-CUSTOM-001"].severity == "medium"  # the loaded rule is not mutated


def test_policy_naming_an_unknown_rule_is_an_error(tmp_path: Path) -> None:
    pack = tmp_path / "p.yaml"
    pack.write_text("name: p\ndescription: names a rule that does not exist\nselect: [{ids: [ZD-NOPE-001]}]\n")
    with pytest.raises(UsageError, match="unknown rule id\\(s\\): ZD-NOPE-001"):
        apply_policy(load_rules(), load_policy(str(pack)))


def test_invalid_policy_file(tmp_path: Path) -> None:
    pack = tmp_path / "p.yaml"
    pack.write_text("name: p\ndescription: selects nothing valid\nselect: [{colour: red}]\n")
    with pytest.raises(UsageError, match="p.yaml: invalid at /select/0"):
        load_policy(str(pack))


def test_validated_rules_are_cached_and_a_change_invalidates_the_cache(tmp_path: Path, monkeypatch) -> None:
    from scanner.engine import loader

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = _write(tmp_path, VALID)
    first = load_rules((str(folder),))
    assert list((tmp_path / "cache" / "zerodrift").glob("rules-*.json"))
    calls = []
    monkeypatch.setattr(loader, "validate", lambda *a: calls.append(a))
    second = load_rules((str(folder),))
    assert calls == [] and second["ZD-CUSTOM-001"].title == first["ZD-CUSTOM-001"].title
    (folder / "ZD-CUSTOM-001.yaml").write_text(VALID.replace("severity: medium", "severity: low"))
    third = load_rules((str(folder),))
    assert calls and third["ZD-CUSTOM-001"].severity == "low"


def test_every_shipped_policy_pack_loads_and_selects_rules() -> None:
    rules = load_rules()
    expected = {"default", "zero-trust", "cis-aws", "cis-kubernetes", "nist-800-53", "pci-dss", "soc2", "gdpr"}
    assert expected <= set(available_policies())
    for name in available_policies():
        pack = load_policy(name)
        selected = apply_policy(rules, pack)
        assert selected, name
        selected_by = {f for selector in pack["select"] for f in selector.get("frameworks", [])}
        assert selected_by <= set(pack.get("framework_versions", {})), f"{name}: name the version of every framework it selects"
        for framework in selected_by:
            assert all(framework in rule.frameworks for rule in selected.values()), (name, framework)


def test_gdpr_pack_sets_eu_regions_for_the_residency_rule() -> None:
    selected = apply_policy(load_rules(), load_policy("gdpr"))
    regions = selected["ZD-GDPR-001"].parameters["allowed_regions"]
    assert "eu-west-1" in regions and "westeurope" in regions and "europe-west1" in regions
    assert "us-east-1" not in regions and "eu-west-2" not in regions
