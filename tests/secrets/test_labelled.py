"""Accuracy on the labelled set (tests/fixtures/secrets-labelled): every true
secret is reported on its line, and nothing else is reported, look-alikes
included. The same set is scored against detect-secrets in
bench/secrets_vs_detect_secrets.py."""
from __future__ import annotations

from pathlib import Path

import yaml

from scanner.api import scan
from scanner.config import ScanConfig

LABELLED = Path(__file__).resolve().parents[1] / "fixtures" / "secrets-labelled"


def test_recall_and_false_positives() -> None:
    labels = yaml.safe_load((LABELLED / "labels.yaml").read_text(encoding="utf-8"))
    truth = {(s["file"], s["line"]): s["kind"] for s in labels["secrets"]}
    result = scan([str(LABELLED)], ScanConfig(root=str(LABELLED), iac=False))
    got = {(f.file, f.line) for f in result.findings if f.rule_id.startswith("ZD-SECRET-") and f.file != "labels.yaml"}
    missed = sorted((k, truth[k]) for k in set(truth) - got)
    false_positives = sorted(got - set(truth))
    assert missed == []
    assert false_positives == []
    assert len(truth) >= 80 and len({kind for kind in truth.values()}) >= 18
