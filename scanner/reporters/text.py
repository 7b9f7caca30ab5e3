"""Human-readable report: findings grouped by file, then a summary."""
from __future__ import annotations

from collections import Counter

from scanner.model import SEVERITIES
from scanner.model import ScanResult
from scanner.posture import posture

_COLORS = {"critical": "\033[1;35m", "high": "\033[1;31m", "medium": "\033[33m", "low": "\033[36m", "info": "\033[2m"}
_RESET = "\033[0m"
_DIM = "\033[2m"


def render(result: ScanResult, *, color: bool = False, fail_on: str = "high") -> str:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    out: list[str] = []
    current = None
    for f in result.findings:
        if f.file != current:
            if current is not None:
                out.append("")
            out.append(paint(f.file, "\033[1m"))
            current = f.file
        sev = paint(f"{f.severity.upper():<8}", _COLORS[f.severity])
        outside = "  (outside the diff: not failing)" if f.properties.get("in_diff") is False else ""
        if f.properties.get("also_reported_by"):
            outside += f"  [also {', '.join(f.properties['also_reported_by'])}]"
        out.append(f"  {f.line:>5}  {sev}  {f.rule_id:<14} {f.message}{outside}")
        if f.fix:
            fix = f.fix if len(f.fix) <= 160 or "drift" in f.properties else f.fix[:157] + "..."
            out.append(paint(f"         fix: {fix}", _DIM))
    if result.diagnostics:
        if out:
            out.append("")
        out.append(paint("Could not scan fully:", "\033[1m"))
        for d in result.diagnostics:
            where = f"{d.file}:{d.line}" if d.line else d.file
            out.append(f"  {where}: {d.level}: {d.reason}")
    out.extend(_posture_lines(result, paint))
    if "drift" in result.properties:
        out.extend(_drift_summary(result, fail_on))
        return "\n".join(out) + "\n"
    counts = Counter(f.severity for f in result.findings)
    parts = [f"{counts[s]} {s}" for s in SEVERITIES if counts[s]]
    if out:
        out.append("")
    summary = (
        f"{len(result.findings)} finding(s)"
        + (f" ({', '.join(parts)})" if parts else "")
        + f" in {result.files_scanned} file(s), {result.resources_scanned} resource(s), {len(result.rules)} rule(s)"
    )
    outside = sum(1 for f in result.findings if f.properties.get("in_diff") is False)
    if outside:
        summary += f"; {outside} outside the diff (not failing)"
    if result.suppressed:
        inline = sum(1 for f in result.suppressed if f.properties.get("suppression", {}).get("kind") == "inSource")
        summary += f"; {len(result.suppressed)} suppressed ({inline} inline, {len(result.suppressed) - inline} by baseline)"
    if result.diagnostics:
        summary += f"; {len(result.diagnostics)} file problem(s)"
    out.append(summary + f"; failing at {fail_on} and above.")
    return "\n".join(out) + "\n"


def _drift_summary(result: ScanResult, fail_on: str) -> list[str]:
    info = result.properties["drift"]
    counts = info["counts"]
    provenance = info["provenance"] if isinstance(info["provenance"], str) else ", ".join(info["provenance"]) or info["live"]
    lines = ["" if result.findings or result.diagnostics else "",
             f"Drift against {provenance} ({info['source']}): {counts['changed']} changed, {counts['missing']} missing, "
             f"{counts['unmanaged']} unmanaged, {counts['in_sync']} in sync"
             + (f", {counts['not_inspected']} not inspected" if counts["not_inspected"] else "")
             + (f", {counts['default']} default object(s) skipped" if counts["default"] else "") + "."]
    if info.get("coverage"):
        lines.append("Managed by the templates: " + ", ".join(f"{t} {pct}%" for t, pct in info["coverage"].items()) + ".")
    by_sev = Counter(f.severity for f in result.findings)
    parts = [f"{by_sev[s]} {s}" for s in SEVERITIES if by_sev[s]]
    summary = f"{len(result.findings)} drift finding(s)" + (f" ({', '.join(parts)})" if parts else "")
    if result.suppressed:
        summary += f"; {len(result.suppressed)} ignored by the ignore file"
    if result.diagnostics:
        summary += f"; {len(result.diagnostics)} problem(s)"
    lines.append(summary + f"; failing at {fail_on} and above.")
    return lines


def _verdicts(entry: dict) -> str:
    text = f"{entry['passed']:>5} passed {entry['failed']:>5} failed"
    return text + (f" {entry['unknown']:>5} unknown" if entry["unknown"] else "")


def _posture_lines(result: ScanResult, paint) -> list[str]:
    summary = posture(result)
    if not summary["pillars"]:
        return []
    lines = ["", paint("Posture by framework control (resource checks passed / failed / unknown):", "\033[1m")]
    for framework, controls in summary["frameworks"].items():
        lines.append(f"  {framework}")
        for control, entry in controls.items():
            mark = paint("FAIL", _COLORS["high"]) if entry["failed"] else "pass"
            lines.append(f"    {control:<14} {mark}  {_verdicts(entry)}")
    lines.append(paint("Posture by zero-trust pillar:", "\033[1m"))
    for pillar, entry in summary["pillars"].items():
        mark = paint("FAIL", _COLORS["high"]) if entry["failed"] else "pass"
        lines.append(f"  {pillar:<16} {mark}  {_verdicts(entry)}")
    return lines


def render_quiet(result: ScanResult, *, color: bool = False, fail_on: str = "high") -> str:
    """``--quiet``: the failing findings as ``file:line: RULE-ID message``, then one summary line."""
    failing = result.worst_at_or_above(fail_on)
    lines = [f"{f.file}:{f.line}: {f.rule_id} {f.severity} {f.message}" for f in failing]
    lines.append(f"{len(failing)} failing finding(s) at or above {fail_on} ({len(result.findings)} in all).")
    return "\n".join(lines) + "\n"
