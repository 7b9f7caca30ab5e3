"""The plain API under the CLI: no printing, no exiting.

    from scanner.api import scan
    result = scan(["infra/"], ScanConfig(policy="default"))
"""
from __future__ import annotations

import os
import sys
from dataclasses import replace
from collections.abc import Sequence

from scanner import baseline
from scanner.config import ScanConfig
from scanner.discovery import Candidate
from scanner.discovery import discover
from scanner.engine.evaluate import Evaluation
from scanner.engine.evaluate import RuleStats
from scanner.engine.evaluate import run
from scanner.engine.loader import Rule
from scanner.engine.loader import apply_policy
from scanner.engine.loader import load_policy
from scanner.engine.loader import load_rules
from scanner.errors import ParseError
from scanner.errors import UsageError
from scanner.model import Diagnostic
from scanner.model import Finding
from scanner.model import Resource
from scanner.model import ScanResult
from scanner.parsers import PARSERS
from scanner.parsers import SNIFFED
from scanner.suppress import META_RULE
from scanner.suppress import apply_inline

BINARY_PROBE = 8192


def load_ruleset(config: ScanConfig, available: dict[str, Rule] | None = None) -> dict[str, Rule]:
    """The rules the policy selects (from ``available``, default: every loaded
    rule), with configured parameters applied over the pack's."""
    rules = apply_policy(load_rules(config.rules_dirs) if available is None else available, load_policy(config.policy))
    for rule_id, params in sorted(config.parameters.items()):
        if rule_id not in rules:
            raise UsageError(f"parameters given for {rule_id}, which the policy {config.policy!r} does not select")
        rules[rule_id] = replace(rules[rule_id], parameters={**rules[rule_id].parameters, **params})
    return rules


def read_text(cand: Candidate, max_size: int) -> tuple[str | None, Diagnostic | None]:
    """The file's text, or the diagnostic that says why it was not scanned."""
    try:
        if cand.path == "-":
            data = sys.stdin.buffer.read(max_size + 1)
            if len(data) > max_size:
                return None, Diagnostic(cand.rel, None, f"skipped: input is over the {max_size}-byte limit", "warning")
        else:
            size = os.stat(cand.path).st_size
            if size > max_size:
                return None, Diagnostic(cand.rel, None, f"skipped: file is {size} bytes, over the {max_size}-byte limit", "warning")
            with open(cand.path, "rb") as fh:
                data = fh.read(max_size + 1)
    except OSError as exc:
        return None, Diagnostic(cand.rel, None, f"cannot read file: {exc.strerror or exc}")
    if b"\x00" in data[:BINARY_PROBE]:
        return None, Diagnostic(cand.rel, None, "skipped: binary file", "warning")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, Diagnostic(cand.rel, line, "skipped: not valid UTF-8 text")


def _helm_template(cand: Candidate, text: str) -> bool:
    """A file under a chart's templates/ folder with Go template syntax: not YAML yet."""
    if "{{" not in text:
        return False
    folder = os.path.dirname(cand.path)
    for _ in range(8):  # templates/ may have sub-folders (templates/tests/)
        if os.path.basename(folder) == "templates":
            return os.path.isfile(os.path.join(os.path.dirname(folder), "Chart.yaml"))
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return False


def detect(cand: Candidate, text: str) -> str | None:
    if cand.format is not None:
        return cand.format
    for fmt in SNIFFED:
        sniff = getattr(PARSERS[fmt], "sniff")
        if fmt == "tfplan" and not (cand.rel.endswith(".json") or (cand.path == "-" and text.lstrip().startswith("{"))):
            continue
        if sniff(text):
            return fmt
    return None


def parse_file(fmt: str, text: str, rel: str) -> tuple[list[Resource], Diagnostic | None]:
    try:
        return PARSERS[fmt].parse(text, rel), None
    except ParseError as exc:
        return [], Diagnostic(rel, exc.line, exc.reason)
    except RecursionError:
        return [], Diagnostic(rel, None, "nested too deeply to parse")
    except MemoryError:
        return [], Diagnostic(rel, None, "too large to parse in memory")
    except Exception as exc:  # a parser bug must not end the scan
        return [], Diagnostic(rel, None, f"internal error while parsing as {fmt}: {type(exc).__name__}: {str(exc)[:120]}")


def collect_resources(paths: Sequence[str], config: ScanConfig, candidates: list[Candidate] | None = None) -> tuple[list[Resource], list[Diagnostic], int]:
    """Parse the IaC files among ``paths`` (or among ``candidates``) into resources."""
    root = config.root or os.getcwd()
    diagnostics: list[Diagnostic] = []
    by_format: dict[str, list[Resource]] = {}
    files = 0
    if candidates is None:
        candidates = list(discover(list(paths), root, config.excludes, diagnostics))
    total = len(candidates)
    for number, cand in enumerate(candidates, 1):
        if config.progress is not None:
            config.progress("parsing", number, total)
        if cand.format is False:
            continue
        text, diag = read_text(cand, config.max_file_size)
        if diag is not None:
            diagnostics.append(diag)
            continue
        assert text is not None
        if cand.format is None and _helm_template(cand, text):
            diagnostics.append(Diagnostic(cand.rel, None, "Helm chart template not scanned: scan the output of 'helm template' instead", "warning"))
            continue
        fmt = detect(cand, text)
        if fmt is None:
            continue
        files += 1
        if not text.strip():
            continue  # an empty file is valid (Terraform and YAML accept it) and has nothing to check
        resources, diag = parse_file(fmt, text, cand.rel)
        if diag is not None:
            diagnostics.append(diag)
        by_format.setdefault(fmt, []).extend(resources)
    resources: list[Resource] = []
    for fmt in sorted(by_format):
        link = getattr(PARSERS[fmt], "link", None)
        resources.extend(link(by_format[fmt]) if link else by_format[fmt])
    return resources, diagnostics, files


def secret_findings(candidates: list[Candidate], rules: dict[str, Rule], config: ScanConfig) -> tuple[list[Finding], dict[str, RuleStats], int, list[str] | None]:
    """Findings of the selected secrets rules in every readable text file, and
    the files holding zerodrift:ignore comments (None: not looked at)."""
    from scanner.secrets.engine import scan_files
    from scanner.secrets.report import to_findings

    by_detector = {t: rules[r] for r in sorted(rules) for c in rules[r].checks if c.schema == "secrets" for t in c.types}
    if not by_detector:
        return [], {}, 0, None
    files = [(c.path, c.rel) for c in candidates if c.path != "-"]
    hits, with_directives = scan_files(files, config.max_file_size, progress=config.progress)
    findings, stats, count = to_findings(hits, by_detector, len(files))
    return findings, stats, count, with_directives


def evaluate_candidates(candidates: list[Candidate], rules: dict[str, Rule], config: ScanConfig) -> tuple[Evaluation, list[Diagnostic], int, int, list[str]]:
    """Policy rules on the IaC resources and secrets rules on every file; also
    which files may hold zerodrift:ignore comments."""
    evaluation = Evaluation([], {rule_id: RuleStats() for rule_id in rules})
    diagnostics: list[Diagnostic] = []
    files = resources_count = 0
    directive_files = [c.rel for c in candidates if c.path != "-" and c.format is not False]
    if config.iac:
        resources, diagnostics, files = collect_resources([], config, candidates)
        evaluation = run(resources, rules)
        resources_count = len(resources)
    if config.secrets:
        found, stats, secret_files, with_directives = secret_findings(candidates, rules, config)
        evaluation.findings = sorted(evaluation.findings + found, key=Finding.sort_key)
        evaluation.stats.update(stats)
        files = max(files, secret_files)
        if with_directives is not None:
            directive_files = with_directives
    return evaluation, diagnostics, files, resources_count, directive_files


def scan(paths: Sequence[str], config: ScanConfig | None = None) -> ScanResult:
    config = config or ScanConfig()
    available = load_rules(config.rules_dirs)
    rules = load_ruleset(config, available)
    if not config.iac:
        rules = {k: v for k, v in rules.items() if any(c.schema == "secrets" for c in v.checks)}
    if not config.secrets:
        rules = {k: v for k, v in rules.items() if not all(c.schema == "secrets" for c in v.checks)}
    root = config.root or os.getcwd()
    diagnostics: list[Diagnostic] = []
    candidates = list(discover(list(paths), root, config.excludes, diagnostics, every_file=config.secrets))
    evaluation, parse_diags, files, resources, directive_files = evaluate_candidates(candidates, rules, config)
    active, suppressed = apply_inline(evaluation.findings, root, set(available), scanned=directive_files)
    if META_RULE not in rules:
        active = [f for f in active if f.rule_id != META_RULE]
    for engine in config.engines:
        from scanner.engines import ENGINES
        from scanner.engines import merge

        if engine not in ENGINES:
            raise UsageError(f"unknown engine {engine!r}; available: {', '.join(sorted(ENGINES))}")
        failures, engine_diags = ENGINES[engine].run(list(paths), root)
        parse_diags = parse_diags + engine_diags
        active, engine_rules = merge(active, failures, rules)
        rules = {**rules, **engine_rules}
    if config.baseline:
        active, accepted = baseline.apply(active, baseline.fingerprints(config.baseline))
        suppressed += accepted
    if config.diff_base:
        from scanner.diffscope import changed_lines

        changed = changed_lines(config.diff_base, root)
        active = [replace(f, properties={**f.properties, "in_diff": f.line in changed.get(f.file, ())}) for f in active]
    return ScanResult(
        findings=sorted(active, key=Finding.sort_key),
        suppressed=sorted(suppressed, key=Finding.sort_key),
        diagnostics=sorted(set(diagnostics + parse_diags), key=Diagnostic.sort_key),
        rules=rules,
        files_scanned=files,
        resources_scanned=resources,
        root=root,
        stats=evaluation.stats,
    )
