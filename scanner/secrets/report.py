"""Secret hits -> findings of the rules that own their detectors.

The message and properties carry the masked value, its length and a short
hash, never the value; the fingerprint is built from the hash, so it survives
the secret moving to another line.
"""
from __future__ import annotations

from scanner.engine.evaluate import RuleStats
from scanner.engine.evaluate import fingerprint
from scanner.engine.loader import Rule
from scanner.model import Finding
from scanner.secrets.engine import SecretHit

HASH_SHOWN = 12


def to_findings(hits: dict[str, list[SecretHit]], by_detector: dict[str, Rule], files_scanned: int) -> tuple[list[Finding], dict[str, RuleStats], int]:
    findings: list[Finding] = []
    failed_files: dict[str, set[str]] = {}
    for rel in sorted(hits):
        for hit in hits[rel]:
            rule = by_detector.get(hit.detector)
            if rule is None:
                continue
            failed_files.setdefault(rule.id, set()).add(rel)
            shown = f"{hit.masked} ({hit.length} chars, sha256:{hit.sha256[:HASH_SHOWN]})"
            findings.append(Finding(
                rule_id=rule.id,
                severity=rule.severity,
                title=rule.title,
                message=f"{rule.title}: {shown}",
                file=rel,
                line=hit.line,
                end_line=hit.line,
                resource=rel,
                resource_type="file",
                path=hit.detector,
                fix=rule.fix,
                fingerprint=fingerprint(rule.id, rel, hit.sha256),
                properties={"secret": {"detector": hit.detector, "masked": hit.masked, "length": hit.length, "sha256": hit.sha256[:HASH_SHOWN]}},
            ))
    stats: dict[str, RuleStats] = {}
    for rule in {r.id: r for r in by_detector.values()}.values():
        failed = len(failed_files.get(rule.id, ()))
        stats[rule.id] = RuleStats(passed=files_scanned - failed, failed=failed)
    return findings, stats, files_scanned
