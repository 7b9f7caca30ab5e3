"""JUnit XML report: one suite per rule, a failing test case per finding, suppressed
findings and unscannable files skipped; valid, escaped and deterministic XML."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from scanner.api import scan
from scanner.baseline import write as write_baseline
from scanner.config import ScanConfig
from scanner.model import Finding
from scanner.model import ScanResult
from scanner.reporters import junit
from testhelpers import OPEN_SG_TEMPLATE

REPO = Path(__file__).resolve().parents[2]
OPEN_SG = OPEN_SG_TEMPLATE


def _parse(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def _cases(root: ET.Element) -> list[tuple[ET.Element, ET.Element]]:
    return [(suite, case) for suite in root.findall("testsuite") for case in suite.findall("testcase")]


def test_examples_one_suite_per_rule_and_a_failure_per_finding() -> None:
    result = scan([str(REPO / "examples")], ScanConfig(root=str(REPO)))
    text = junit.render(result, fail_on="high")
    assert text == junit.render(result, fail_on="high"), "deterministic"
    root = _parse(text)
    assert root.tag == "testsuites" and root.get("name") == "zerodrift"
    assert root.get("tests") == root.get("failures") == str(len(result.findings))
    assert root.get("errors") == root.get("skipped") == "0"
    suites = root.findall("testsuite")
    names = [s.get("name") for s in suites]
    assert names == sorted({f.rule_id for f in result.findings})
    for suite in suites:
        cases = suite.findall("testcase")
        assert suite.get("tests") == suite.get("failures") == str(len(cases)) and suite.get("skipped") == "0"
        assert {c.get("classname") for c in cases} == {suite.get("name")}
        props = {p.get("name"): p.get("value") for p in suite.find("properties")}
        assert props["title"] == result.rules[suite.get("name")].title
    got = Counter()
    for suite, case in _cases(root):
        failure = case.find("failure")
        assert failure is not None and case.find("skipped") is None
        assert case.get("name").startswith(f"{case.get('file')}:{case.get('line')} ")
        got[(suite.get("name"), case.get("file"), int(case.get("line")), failure.get("message"), failure.get("type"))] += 1
        assert f"location: {case.get('file')}:{case.get('line')}" in failure.text
    assert got == Counter((f.rule_id, f.file, f.line, f.message, f.severity) for f in result.findings)
    texts = [c.find("failure").text for _, c in _cases(root)]
    assert any("fails the scan (at or above high)" in t for t in texts)
    assert any("does not fail the scan: below high" in t for t in texts)


def test_suppressed_are_skipped_in_their_rules_suite(tmp_path: Path) -> None:
    (tmp_path / "inline.tf").write_text('# zerodrift:ignore ZD-AWS-001 reason="bastion & <VPN>"\n' + OPEN_SG.format(name="a"))
    (tmp_path / "old.tf").write_text(OPEN_SG.format(name="b"))
    config = ScanConfig(root=str(tmp_path), secrets=False)
    before = scan([str(tmp_path)], config)
    write_baseline(str(tmp_path / "baseline.json"), [f for f in before.findings if f.file == "old.tf"])
    (tmp_path / "new.tf").write_text(OPEN_SG.format(name="c"))
    result = scan([str(tmp_path)], ScanConfig(root=str(tmp_path), secrets=False, baseline=str(tmp_path / "baseline.json")))
    root = _parse(junit.render(result))
    suite = next(s for s in root.findall("testsuite") if s.get("name") == "ZD-AWS-001")
    outcome = {c.get("file"): (c.find("failure") is not None, c.find("skipped")) for c in suite.findall("testcase")}
    assert outcome["new.tf"] == (True, None)
    assert outcome["inline.tf"][1].get("message") == "suppressed inline: bastion & <VPN>"
    assert outcome["old.tf"][1].get("message") == "suppressed by the baseline"
    assert suite.get("tests") == "3" and suite.get("failures") == "1" and suite.get("skipped") == "2"
    assert int(root.get("skipped")) == len(result.suppressed) == sum(int(s.get("skipped")) for s in root.findall("testsuite"))


def test_unscannable_files_are_skipped_cases_of_their_own_suite() -> None:
    result = scan([str(REPO / "tests/fixtures/hostile")], ScanConfig(root=str(REPO)))
    assert result.diagnostics
    root = _parse(junit.render(result))
    suite = root.findall("testsuite")[-1]
    assert suite.get("name") == "zerodrift/diagnostics" and suite.get("failures") == "0"
    cases = suite.findall("testcase")
    assert len(cases) == len(result.diagnostics) == int(suite.get("skipped"))
    invalid = next(c for c in cases if c.get("file") == "tests/fixtures/hostile/invalid.tf")
    assert invalid.get("line") == "3" and invalid.find("skipped").get("message").startswith("error: ")


def test_hostile_text_is_escaped_and_valid_xml() -> None:
    message = 'a "quoted" <tag> & \x00\x1b[31m\x7f control ]]> \ud800 end'
    finding = Finding(rule_id="ZD-X-001", severity="high", title="t <b>", message=message, file="a&b<c>.tf", line=3,
                      end_line=4, resource='r"1', resource_type="x", path="p", fix="fix & <go>")
    result = ScanResult(findings=[finding], diagnostics=[], rules={}, files_scanned=1, resources_scanned=1, root=str(REPO))
    text = junit.render(result)
    root = _parse(text)
    case = root.find("testsuite/testcase")
    assert case.get("file") == "a&b<c>.tf" and case.get("line") == "3"
    failure = case.find("failure")
    assert failure.get("message") == 'a "quoted" <tag> & \ufffd\ufffd[31m\x7f control ]]> \ufffd end'
    assert "location: a&b<c>.tf:3-4" in failure.text and "fix: fix & <go>" in failure.text
    assert "<tag>" not in text and "&lt;tag&gt;" in text


def test_clean_scan_has_one_passing_case(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("nothing here\n")
    root = _parse(junit.render(scan([str(tmp_path)], ScanConfig(root=str(tmp_path)))))
    assert root.get("tests") == "1" and root.get("failures") == "0"
    [(suite, case)] = _cases(root)
    assert suite.get("name") == "zerodrift" and len(case) == 0
