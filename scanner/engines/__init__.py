"""External engines whose results join zerodrift's report (explicit registry).

``merge`` turns an engine's failures into findings and folds duplicates into
the native finding: when a native rule lists the engine's check id in its
``equivalents`` and reports the same file within the check's line range, the
report shows one finding naming both ids.
"""
from __future__ import annotations

from types import ModuleType

from scanner.engine.evaluate import fingerprint
from scanner.engine.loader import Rule
from scanner.engines import checkov
from scanner.model import Finding

ENGINES: dict[str, ModuleType] = {"checkov": checkov}

DEFAULT_SEVERITY = "medium"  # Checkov's open-source checks carry no severity


def engine_rule(failure: checkov.Failure, severity: str) -> Rule:
    """A rule descriptor for an engine check, for reports and SARIF."""
    guideline = failure.guideline or "https://www.checkov.io/5.Policy%20Index/all.html"
    return Rule(
        id=f"checkov:{failure.check_id}",
        name=failure.check_id.lower().replace("_", "-"),
        title=failure.check_name,
        severity=severity,
        default_severity=severity,
        description=f"{failure.check_name} (Checkov check {failure.check_id}, run by zerodrift as an external engine).",
        why=f"Reported by Checkov's {failure.check_id}; see Checkov's documentation for its rationale.",
        fix=f"See Checkov's guidance for {failure.check_id}: {guideline}",
        references=[guideline],
        frameworks={},
        pillar="applications",
        domain="checkov",
        source="checkov",
        tags=["checkov", failure.check_type] if failure.check_type else ["checkov"],
    )


def merge(findings: list[Finding], failures: list[checkov.Failure], rules: dict[str, Rule]) -> tuple[list[Finding], dict[str, Rule]]:
    """(findings with the engine's merged in, descriptors of the engine's rules used)."""
    by_check: dict[str, list[Rule]] = {}
    for rule in rules.values():
        for check_id in rule.equivalents.get("checkov", []):
            by_check.setdefault(check_id, []).append(rule)
    merged = list(findings)
    index = {id(f): i for i, f in enumerate(merged)}
    engine_rules: dict[str, Rule] = {}
    for failure in failures:
        natives = {r.id for r in by_check.get(failure.check_id, [])}
        twin = next((f for f in merged if f.rule_id in natives and f.file == failure.file
                     and failure.start_line <= f.line <= failure.end_line), None)
        engine_id = f"checkov:{failure.check_id}"
        if twin is not None:
            also = sorted(set(twin.properties.get("also_reported_by", [])) | {engine_id})
            updated = Finding(**{**twin.__dict__, "properties": {**twin.properties, "also_reported_by": also}})
            merged[index[id(twin)]] = updated
            index[id(updated)] = index.pop(id(twin))
            continue
        severities = [r.severity for r in by_check.get(failure.check_id, [])]
        severity = failure.severity if failure.severity in ("critical", "high", "medium", "low", "info") else (severities[0] if severities else DEFAULT_SEVERITY)
        rule = engine_rules.setdefault(engine_id, engine_rule(failure, severity))
        merged.append(Finding(
            rule_id=engine_id, severity=rule.severity, title=rule.title,
            message=f"{failure.resource}: {failure.check_name}" if failure.resource else failure.check_name,
            file=failure.file, line=failure.start_line, end_line=failure.end_line, resource=failure.resource or failure.file,
            resource_type=failure.check_type or "checkov", path="", fix=rule.fix,
            fingerprint=fingerprint(engine_id, failure.file, failure.resource),
            properties={"engine": "checkov"}, resource_line=failure.start_line,
        ))
    return sorted(merged, key=Finding.sort_key), engine_rules
