"""JUnit XML report for CI systems that show test results (GitLab, Jenkins, Azure
Pipelines, test-reporter actions).

One ``<testsuite>`` per rule, named by the rule id and sorted by it, holding
that rule's findings: a rule is the "test", and every place it fails is one
failing ``<testcase>`` (``classname`` = rule id, ``name`` = ``file:line
resource``, with ``file`` and ``line`` attributes) carrying a ``<failure>``
whose ``message`` is ``Finding.message`` (secrets there are already masked)
and whose ``type`` is the severity.  Every finding fails here, whatever
``fail_on``: the exit code is the gate, this report lists what was found (the
failure text says whether the finding fails the scan: at or above ``fail_on``
and, with ``--diff-base``, on a changed line).
Suppressed findings (inline or by the baseline) are ``<skipped>`` test cases
in their rule's suite.  Files that could not be scanned fully are skipped
test cases in a last suite, ``zerodrift/diagnostics``.  A scan with nothing
to report has one suite, ``zerodrift``, with one passing test case, so
consumers that reject an empty report accept it.

The output is deterministic: sorted, no timestamps or host names, ``time="0"``.
It is built with ``xml.etree.ElementTree`` (attribute and text escaping), and
characters XML 1.0 cannot carry are replaced by U+FFFD.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from scanner.model import Finding
from scanner.model import ScanResult

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: object) -> str:
    return _NOT_XML.sub("\ufffd", str(text))


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: object) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: _xml(v) for k, v in attrs.items()})
    if text is not None:
        el.text = _xml(text)
    return el


def _details(f: Finding, gating: bool, fail_on: str) -> str:
    lines = [
        f"{f.severity.upper()} {f.rule_id}: {f.title}",
        f"location: {f.file}:{f.line}" + (f"-{f.end_line}" if f.end_line > f.line else ""),
        f"resource: {f.resource} ({f.resource_type})",
    ]
    if f.path:
        lines.append(f"attribute: {f.path}")
    if gating:
        lines.append(f"fails the scan (at or above {fail_on})")
    elif f.properties.get("in_diff") is False:
        lines.append("does not fail the scan: outside the diff")
    else:
        lines.append(f"does not fail the scan: below {fail_on}")
    if f.fix:
        lines.append(f"fix: {f.fix}")
    return "\n".join(lines)


def _case(suite: ET.Element, f: Finding) -> ET.Element:
    name = f"{f.file}:{f.line} {f.resource}" + (f" {f.path}" if f.path else "")
    return _sub(suite, "testcase", name=name, classname=f.rule_id, file=f.file, line=f.line, time="0")


def _suite(root: ET.Element, name: str, tests: int, failures: int, skipped: int) -> ET.Element:
    return _sub(root, "testsuite", name=name, tests=tests, failures=failures, errors=0, skipped=skipped, time="0")


def to_element(result: ScanResult, *, fail_on: str = "high") -> ET.Element:
    found: dict[str, list[Finding]] = defaultdict(list)
    accepted: dict[str, list[Finding]] = defaultdict(list)
    gating = {id(f) for f in result.worst_at_or_above(fail_on)}
    for f in result.findings:
        found[f.rule_id].append(f)
    for f in result.suppressed:
        accepted[f.rule_id].append(f)
    total = len(result.findings) + len(result.suppressed) + len(result.diagnostics)
    skipped = len(result.suppressed) + len(result.diagnostics)
    root = ET.Element("testsuites", {"name": "zerodrift", "tests": str(max(total, 1)), "failures": str(len(result.findings)),
                                     "errors": "0", "skipped": str(skipped), "time": "0"})
    for rule_id in sorted(set(found) | set(accepted)):
        failing, suppressed = found[rule_id], accepted[rule_id]
        suite = _suite(root, rule_id, len(failing) + len(suppressed), len(failing), len(suppressed))
        rule = result.rules.get(rule_id)
        props = _sub(suite, "properties")
        _sub(props, "property", name="title", value=rule.title if rule is not None else (failing or suppressed)[0].title)
        _sub(props, "property", name="severity", value=(failing or suppressed)[0].severity)
        for f in sorted(failing + suppressed, key=Finding.sort_key):
            case = _case(suite, f)
            if "suppression" in f.properties:
                how = f.properties["suppression"]
                kind = "inline" if how.get("kind") == "inSource" else "by the baseline"
                reason = f": {how['justification']}" if how.get("kind") == "inSource" and how.get("justification") else ""
                _sub(case, "skipped", message=f"suppressed {kind}{reason}")
            else:
                _sub(case, "failure", _details(f, id(f) in gating, fail_on), message=f.message, type=f.severity)
    if result.diagnostics:
        suite = _suite(root, "zerodrift/diagnostics", len(result.diagnostics), 0, len(result.diagnostics))
        for d in result.diagnostics:
            where = f"{d.file}:{d.line}" if d.line else d.file
            case = _sub(suite, "testcase", name=f"{where} could not be scanned fully", classname="zerodrift/diagnostics",
                        file=d.file, time="0", **({"line": d.line} if d.line else {}))
            _sub(case, "skipped", message=f"{d.level}: {d.reason}")
    if total == 0:
        suite = _suite(root, "zerodrift", 1, 0, 0)
        _sub(suite, "testcase", name=f"no findings at all ({result.files_scanned} file(s) scanned)", classname="zerodrift", time="0")
    return root


def render(result: ScanResult, *, color: bool = False, fail_on: str = "high") -> str:
    root = to_element(result, fail_on=fail_on)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
