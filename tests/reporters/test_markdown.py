"""Markdown report (PR comments, job summaries): counts first, then a table whose
rows point at file and line, escaped, bounded, with suppressed findings counted."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from scanner.api import scan
from scanner.config import ScanConfig
from scanner.model import SEVERITIES
from scanner.model import Finding
from scanner.model import ScanResult
from scanner.reporters import markdown
from testhelpers import OPEN_SG_TEMPLATE

REPO = Path(__file__).resolve().parents[2]
ROW = re.compile(r"^\| (?P<severity>[a-z]+)(?: \(outside the diff\))? \| \[(?P<rule>[A-Z0-9-]+)\]\(\S+\) "
                 r"\| \[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)\) \| (?P<message>.*) \|$")
OPEN_SG = OPEN_SG_TEMPLATE.format(name="web")


def _finding(i: int = 0, *, message: str = "open to the world", severity: str = "high", file: str = "main.tf", **props) -> Finding:
    return Finding(rule_id="ZD-AWS-001", severity=severity, title="Security group allows SSH", message=message, file=file,
                   line=i + 1, end_line=i + 1, resource=f"aws_security_group.sg{i}", resource_type="aws_security_group",
                   path="ingress", fingerprint=f"{i:032x}", properties=dict(props))


def _result(findings: list[Finding], suppressed: list[Finding] | None = None) -> ScanResult:
    return ScanResult(findings=findings, diagnostics=[], rules={}, files_scanned=1, resources_scanned=len(findings),
                      root=str(REPO), suppressed=suppressed or [])


def _rows(report: str) -> list[re.Match]:
    lines = [line for line in report.splitlines() if line.startswith("| ") and "](" in line]
    matches = [ROW.match(line) for line in lines]
    assert all(matches), [line for line, m in zip(lines, matches) if not m]
    return matches  # type: ignore[return-value]


def test_examples_counts_come_first_then_a_row_per_finding() -> None:
    # the drift pairs (plans and exports of the live side) would push the table past MAX_ROWS
    result = scan([str(REPO / "examples")], ScanConfig(root=str(REPO), excludes=("examples/drift",)))
    report = markdown.render(result, fail_on="high")
    counts = Counter(f.severity for f in result.findings)
    assert report.index("| severity | findings |") < report.index("| severity | rule | location | message |")
    for severity in SEVERITIES:
        assert f"| {severity} | {counts[severity]} |" in report
    assert f"| **total** | **{len(result.findings)}** |" in report
    failing = len(result.worst_at_or_above("high"))
    assert report.startswith(f"## zerodrift: {failing} finding(s) at or above high\n")
    assert "0 suppressed (0 inline, 0 by baseline)" in report
    rows = _rows(report)
    assert len(rows) == len(result.findings) < markdown.MAX_ROWS
    seen = Counter((m["rule"], m["target"]) for m in rows)
    assert seen == Counter((f.rule_id, f"{f.file}#L{f.line}") for f in result.findings)
    for m in rows:  # the link text is the relative file#Lline too (with Markdown escapes)
        assert m["text"].replace("\\", "") == m["target"] and not m["target"].startswith("/")
        assert m["target"].startswith("examples/")
    # most severe first: the order of severities in the table never goes back up
    ranks = [SEVERITIES.index(m["severity"]) for m in rows]
    assert ranks == sorted(ranks)


def test_messages_are_escaped_and_stay_on_one_line() -> None:
    nasty = "a | b `code` <script>alert(1)</script> *x* _y_ [l](http://e) $x$ @org/team & ~z~\nsecond line"
    report = markdown.render(_result([_finding(message=nasty)]))
    rows = _rows(report)
    assert len(rows) == 1
    cell = rows[0]["message"]
    assert "<script>" not in report and "&lt;script&gt;" in cell
    assert "\\|" in cell and "\\`code\\`" in cell and "\\*x\\*" in cell and "\\_y\\_" in cell
    assert "\\[l\\](http://e)" in cell and "\\$x\\$" in cell and "&amp;" in cell
    assert "@org" not in report and "@\u2060org/team" in cell  # no mention
    assert "second line" in cell
    # the only unescaped pipes are the four cell borders
    assert len(re.findall(r"(?<!\\)\|", rows[0].group(0))) == 5


def test_file_names_are_escaped_in_text_and_encoded_in_links() -> None:
    report = markdown.render(_result([_finding(file="we ird/a_(b)|c.tf")]))
    assert "[we ird/a\\_(b)\\|c.tf#L1](we%20ird/a_%28b%29%7Cc.tf#L1)" in report


def test_long_reports_are_cut_with_a_pointer_to_code_scanning() -> None:
    many = [_finding(i, severity=SEVERITIES[i % 5]) for i in range(250)]
    report = markdown.render(_result(many), fail_on="info")
    assert len(_rows(report)) == markdown.MAX_ROWS
    assert f"{250 - markdown.MAX_ROWS} more; see code scanning." in report
    assert [m["severity"] for m in _rows(report)][:50] == ["critical"] * 50  # the cut keeps the most severe


def test_huge_messages_and_paths_stay_under_the_size_limits() -> None:
    huge = [_finding(i, message="|<`" * 5000, file="d/" * 300 + f"f{i}.tf") for i in range(90)]
    report = markdown.render(_result(huge))
    assert len(report) <= markdown.MAX_CHARS + 200
    assert len(report.encode("utf-8")) < 1024 * 1024
    rows = _rows(report)
    assert 0 < len(rows) < 90
    assert f"{90 - len(rows)} more; see code scanning." in report


def test_findings_outside_the_diff_are_marked_and_come_last() -> None:
    inside, outside = _finding(0, severity="medium", in_diff=True), _finding(1, severity="critical", in_diff=False)
    report = markdown.render(_result([inside, outside]), fail_on="medium")
    rows = _rows(report)
    assert [(m["severity"], m["target"]) for m in rows] == [("medium", "main.tf#L1"), ("critical", "main.tf#L2")]
    assert "| critical (outside the diff) |" in report
    assert "1 outside the diff (not failing)" in report
    assert report.startswith("## zerodrift: 1 finding(s) at or above medium")


def test_suppressed_findings_are_counted(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('# zerodrift:ignore ZD-AWS-001 reason="bastion, SEC-1"\n' + OPEN_SG)
    result = scan([str(tmp_path)], ScanConfig(root=str(tmp_path), secrets=False))
    assert result.suppressed
    report = markdown.render(result)
    assert f"{len(result.suppressed)} suppressed ({len(result.suppressed)} inline, 0 by baseline)" in report
    assert all(f.rule_id != "ZD-AWS-001" for f in result.findings)


def test_clean_scan(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("nothing to see\n")
    report = markdown.render(scan([str(tmp_path)], ScanConfig(root=str(tmp_path))))
    assert report.startswith("## zerodrift: no findings\n")
    assert "| **total** | **0** |" in report and "<details" not in report


def test_cli_format_markdown(tmp_path: Path, capsys, monkeypatch) -> None:
    from scanner.cli import main

    (tmp_path / "main.tf").write_text(OPEN_SG)
    monkeypatch.chdir(tmp_path)
    assert main(["scan", ".", "--format", "markdown", "--no-secrets"]) == 1
    rows = _rows(capsys.readouterr().out)
    assert [(m["rule"], m["target"]) for m in rows] == [("ZD-AWS-001", "main.tf#L6")]
