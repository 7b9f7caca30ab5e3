"""The command line: a thin click layer over ``scanner.api``.

This is the only module that imports click, prints results or decides exit
codes.  ``main(argv) -> int`` maps every outcome in one place:
0 nothing at or above ``--fail-on``, 1 findings at or above it,
2 usage/configuration/internal error (one line on stderr, never a traceback).
"""
from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import click

from scanner import __version__
from scanner.errors import UsageError
from scanner.model import SEVERITIES

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
FORMATS = ("text", "json", "sarif", "markdown", "junit")  # = scanner.reporters.REPORTERS (tested)


def _use_color(stream: object) -> bool:
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()  # type: ignore[union-attr]


class _Progress:
    """A one-line counter on stderr for scans of many files (TTY only)."""

    MIN_FILES = 300

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total < self.MIN_FILES or (done % 50 and done != total):
            return
        click.echo(f"\rzerodrift: {stage} {done}/{total} files", err=True, nl=False)
        self.shown = True

    def done(self) -> None:
        if self.shown:
            click.echo("\r" + " " * 60 + "\r", err=True, nl=False)


def _write(text: str, output: str | None) -> None:
    if output:
        try:
            with open(output, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    else:
        click.echo(text, nl=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="zerodrift", message="%(prog)s %(version)s")
def cli() -> None:
    """zerodrift: find insecure IaC, hard-coded secrets and security-relevant drift."""


CONFIG_OPTION = click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=str),
                             help="Configuration file (default: .zerodrift.yaml, else [tool.zerodrift] in pyproject.toml).")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Report format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=str), help="Write the report to FILE instead of stdout.")
@click.option("--policy", default=None, help="Policy pack name (see policies/) or path to a pack file. [default: default]")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None, help="Exit 1 when a finding has this severity or higher. [default: high]")
@click.option("--rules-dir", multiple=True, type=click.Path(file_okay=False, path_type=str), help="Extra directory of rule YAML files (repeatable).")
@click.option("--exclude", multiple=True, help="Glob of paths to skip, relative to the scan root (repeatable).")
@click.option("--max-file-size", type=click.IntRange(min=1), default=None, help="Skip files larger than this many bytes. [default: 10485760]")
@click.option("--sarif-output", type=click.Path(dir_okay=False, path_type=str), help="Also write a SARIF report to FILE.")
@click.option("--json-output", type=click.Path(dir_okay=False, path_type=str), help="Also write a JSON report to FILE.")
@click.option("--markdown-output", type=click.Path(dir_okay=False, path_type=str), help="Also write a Markdown report to FILE.")
@click.option("--junit-output", type=click.Path(dir_okay=False, path_type=str), help="Also write a JUnit XML report to FILE.")
@click.option("--quiet", "-q", is_flag=True, help="Print only failing findings and the one-line summary; no progress, fixes or posture.")
@click.option("--diff-base", help="Git revision: fail only on findings in lines added or changed since it (the rest are reported as notes).")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=str), help="Report only findings not in this baseline (zerodrift baseline create).")
@click.option("--engine", "engines", multiple=True, type=click.Choice(("checkov",)), help="Also run this external engine (isolated; see 'zerodrift engines').")
@click.option("--secrets-only", is_flag=True, help="Only look for hard-coded secrets (no policy rules).")
@click.option("--no-secrets", is_flag=True, help="Do not look for hard-coded secrets.")
@CONFIG_OPTION
def scan(paths: tuple[str, ...], fmt: str, output: str | None, policy: str | None, fail_on: str | None, rules_dir: tuple[str, ...],
         exclude: tuple[str, ...], max_file_size: int | None, sarif_output: str | None, json_output: str | None,
         markdown_output: str | None, junit_output: str | None, quiet: bool, diff_base: str | None, baseline_file: str | None,
         engines: tuple[str, ...], secrets_only: bool, no_secrets: bool, config_file: str | None) -> int:
    """Scan PATHS (files or directories; default: the current directory).

    A PATH of - reads one YAML/JSON stream from standard input, such as the
    output of `helm template`, `kustomize build` or `terraform show -json`.
    """
    from scanner.api import scan as run_scan
    from scanner.config import resolve_settings
    from scanner.reporters import REPORTERS

    settings = resolve_settings(
        {"policy": policy, "fail_on": fail_on, "rules_dirs": rules_dir, "exclude": exclude, "max_file_size": max_file_size,
         "baseline": baseline_file, "diff_base": diff_base, "engines": engines},
        config_file,
    )
    if secrets_only and no_secrets:
        raise UsageError("--secrets-only and --no-secrets exclude each other")
    from dataclasses import replace

    progress = None if quiet or not _use_color(sys.stderr) else _Progress()
    config = replace(settings.scan_config(), iac=not secrets_only, secrets=not no_secrets, progress=progress)
    result = run_scan(list(paths) or ["."], config)
    if progress is not None:
        progress.done()
    fail_on = settings.fail_on
    color = fmt == "text" and output is None and _use_color(sys.stdout)
    extra = {"sarif": sarif_output, "json": json_output, "markdown": markdown_output, "junit": junit_output}
    for extra_fmt, path in extra.items():
        if path:  # written before the main report, so a CI step can rely on them whatever the exit code
            _write(REPORTERS[extra_fmt].render(result, color=False, fail_on=fail_on), path)
    if quiet and fmt == "text":
        from scanner.reporters import text as text_report

        _write(text_report.render_quiet(result, color=color, fail_on=fail_on), output)
    else:
        _write(REPORTERS[fmt].render(result, color=color, fail_on=fail_on), output)
    if output and fmt != "text":
        failing = len(result.worst_at_or_above(fail_on))
        click.echo(f"zerodrift: {len(result.findings)} finding(s), {failing} at or above {fail_on}; report written to {output}", err=True)
    return EXIT_FINDINGS if result.worst_at_or_above(fail_on) else EXIT_CLEAN


@cli.command()
@click.option("--template", "-t", "templates", multiple=True, required=True, type=click.Path(path_type=str),
              help="Template file or directory: .tf files, Kubernetes manifests or rendered Kustomize/Helm output (repeatable).")
@click.option("--live", "-l", required=True, help="Live side: a terraform show -json plan, a terraform.tfstate, a kubectl get -o json/yaml export, "
              "k8s://CONTEXT[/NAMESPACE] (read-only, extra zerodrift[k8s]) or aws://REGION (read-only, extra zerodrift[aws]).")
@click.option("--source", type=click.Choice(("terraform-plan", "terraform-state", "kubernetes", "aws")), help="Format of --live (default: detected).")
@click.option("--kubeconfig", type=click.Path(dir_okay=False, path_type=str), help="kubeconfig for k8s:// (default: KUBECONFIG, then ~/.kube/config).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Report format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=str), help="Write the report to FILE instead of stdout.")
@click.option("--ignore-file", type=click.Path(dir_okay=False, path_type=str), help="Accepted drift (drift-ignore.yaml): entries with a reason and an optional expiry.")
@click.option("--write-ignore", type=click.Path(dir_okay=False, path_type=str),
              help="Also write an ignore file accepting today's unmanaged and missing objects (a baseline to adopt drift checks).")
@click.option("--ignore-expires", type=click.DateTime(formats=["%Y-%m-%d"]), help="Expiry of the entries --write-ignore writes. [default: in 90 days]")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None, help="Exit 1 when a drift has this severity or higher. [default: high]")
@click.option("--policy", default=None, help="Policy pack whose rules decide compliance drift. [default: default]")
@click.option("--rules-dir", multiple=True, type=click.Path(file_okay=False, path_type=str), help="Extra directory of rule YAML files (repeatable).")
@click.option("--exclude", multiple=True, help="Glob of template paths to skip (repeatable).")
@click.option("--sarif-output", type=click.Path(dir_okay=False, path_type=str), help="Also write a SARIF report to FILE.")
@click.option("--json-output", type=click.Path(dir_okay=False, path_type=str), help="Also write a JSON report to FILE.")
@CONFIG_OPTION
def drift(templates: tuple[str, ...], live: str, source: str | None, kubeconfig: str | None, fmt: str, output: str | None, ignore_file: str | None,
          write_ignore: str | None, ignore_expires: object, fail_on: str | None, policy: str | None, rules_dir: tuple[str, ...], exclude: tuple[str, ...], sarif_output: str | None,
          json_output: str | None, config_file: str | None) -> int:
    """Compare live configuration with the templates and grade every drift.

    Lists resources changed, deleted or created outside the templates, with
    template -> live values (secrets masked), a severity and a next step.
    Exit 0 when no drift is at or above --fail-on, 1 when one is, 2 on error.
    Only aws:// and k8s:// open network connections, read-only.
    """
    from scanner.config import resolve_settings
    from scanner.drift.run import DriftConfig
    from scanner.drift.run import drift as run_drift
    from scanner.reporters import REPORTERS

    settings = resolve_settings({"policy": policy, "fail_on": fail_on, "rules_dirs": rules_dir, "exclude": exclude}, config_file)
    result = run_drift(DriftConfig(templates=templates, live=live, source=source, ignore_file=ignore_file, scan=settings.scan_config(),
                                   kubeconfig=kubeconfig))
    fail_on = settings.fail_on
    color = fmt == "text" and output is None and _use_color(sys.stdout)
    for extra_fmt, path in {"sarif": sarif_output, "json": json_output}.items():
        if path:
            _write(REPORTERS[extra_fmt].render(result, color=False, fail_on=fail_on), path)
    if write_ignore:
        import datetime as dt

        from scanner.drift.ignore import baseline

        today = dt.date.today()
        expires = ignore_expires.date() if isinstance(ignore_expires, dt.datetime) else today + dt.timedelta(days=90)
        _write(baseline(result.findings, today, expires), write_ignore)
        click.echo(f"zerodrift: wrote {write_ignore}: today's unmanaged and missing objects, expiring {expires.isoformat()}", err=True)
    _write(REPORTERS[fmt].render(result, color=color, fail_on=fail_on), output)
    failing = result.worst_at_or_above(fail_on)
    if output and fmt != "text":
        click.echo(f"zerodrift: {len(result.findings)} drift finding(s), {len(failing)} at or above {fail_on}; report written to {output}", err=True)
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def _rules_dirs(rules_dir: tuple[str, ...], config_file: str | None) -> tuple[str, ...]:
    from scanner.config import resolve_settings

    return resolve_settings({"rules_dirs": rules_dir}, config_file).rules_dirs


@cli.group()
def engines() -> None:
    """External engines (Checkov), each in its own isolated virtualenv."""


@engines.command("install")
@click.argument("name", type=click.Choice(("checkov",)))
@click.option("--version", "requested", help="Version to install (default: the newest).")
def engines_install(name: str, requested: str | None) -> int:
    """Create an isolated virtualenv under the user cache and install the engine (uses the package index)."""
    from scanner.engines import ENGINES

    engine = ENGINES[name]
    click.echo(f"zerodrift: installing {name} into {engine.env_dir()} ...", err=True)
    executable = engine.install(requested)
    click.echo(f"{name} {engine.version(executable) or '?'} at {executable}")
    return EXIT_CLEAN


@engines.command("list")
def engines_list() -> int:
    """Show each engine, where it was found and its version."""
    from scanner.engines import ENGINES

    for name in sorted(ENGINES):
        executable, source = ENGINES[name].find()
        if executable:
            click.echo(f"{name:<10} {ENGINES[name].version(executable) or '?':<10} {executable} (from {source})")
        else:
            click.echo(f"{name:<10} not installed (zerodrift engines install {name})")
    return EXIT_CLEAN


@cli.group()
def baseline() -> None:
    """Accept today's findings so that only new ones are reported."""


@baseline.command("create")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--output", "-o", default=".zerodrift-baseline.json", show_default=True, type=click.Path(dir_okay=False, path_type=str))
@click.option("--policy", default=None, help="Policy pack (default: from configuration, else default).")
@CONFIG_OPTION
def baseline_create(paths: tuple[str, ...], output: str, policy: str | None, config_file: str | None) -> int:
    """Record every current finding of PATHS (fingerprints only, never secrets)."""
    return _write_baseline(paths, output, policy, config_file, update=False)


@baseline.command("update")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--output", "-o", default=".zerodrift-baseline.json", show_default=True, type=click.Path(dir_okay=False, path_type=str))
@click.option("--policy", default=None, help="Policy pack (default: from configuration, else default).")
@CONFIG_OPTION
def baseline_update(paths: tuple[str, ...], output: str, policy: str | None, config_file: str | None) -> int:
    """Rewrite the baseline: add new findings, drop fixed ones."""
    return _write_baseline(paths, output, policy, config_file, update=True)


def _write_baseline(paths: tuple[str, ...], output: str, policy: str | None, config_file: str | None, update: bool) -> int:
    from dataclasses import replace

    from scanner import baseline as baseline_file
    from scanner.api import scan as run_scan
    from scanner.config import resolve_settings

    old: set[str] = baseline_file.fingerprints(output) if update and os.path.exists(output) else set()
    if update and not os.path.exists(output):
        raise UsageError(f"no baseline at {output}; create one with 'zerodrift baseline create'")
    settings = resolve_settings({"policy": policy}, config_file)
    result = run_scan(list(paths) or ["."], replace(settings.scan_config(), baseline=None))
    baseline_file.write(output, result.findings)
    new = {f.fingerprint for f in result.findings}
    click.echo(f"zerodrift: baseline {output}: {len(new)} finding(s)"
               + (f" ({len(new - old)} added, {len(old - new)} dropped)" if update else ""), err=True)
    return EXIT_CLEAN


@cli.group()
def secrets() -> None:
    """Secrets beyond the working tree."""


@secrets.command("history")
@click.argument("repo", default=".", type=click.Path(exists=True, file_okay=False, path_type=str))
@click.option("--since", help="Only commits after this revision (REV..HEAD).")
@click.option("--max-commits", type=click.IntRange(min=1), help="Only the newest N commits.")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@CONFIG_OPTION
def secrets_history(repo: str, since: str | None, max_commits: int | None, fmt: str, config_file: str | None) -> int:
    """Find secrets committed in git history: the commit, file and line that
    introduced each, and whether HEAD still has it. Exit 1 if any is found."""
    import json

    from scanner.api import load_ruleset
    from scanner.config import resolve_settings
    from scanner.secrets.history import scan_history

    rules = load_ruleset(resolve_settings({}, config_file).scan_config())
    by_detector = {t: rules[r] for r in sorted(rules) for c in rules[r].checks if c.schema == "secrets" for t in c.types}
    found = [i for i in scan_history(repo, since, max_commits) if i.hit.detector in by_detector]
    rows = [{
        "rule_id": by_detector[i.hit.detector].id, "severity": by_detector[i.hit.detector].severity,
        "title": by_detector[i.hit.detector].title, "commit": i.commit, "date": i.date, "author": i.author,
        "file": i.file, "line": i.line, "still_at_head": i.at_head,
        "secret": {"detector": i.hit.detector, "masked": i.hit.masked, "length": i.hit.length, "sha256": i.hit.sha256[:12]},
    } for i in found]
    if fmt == "json":
        click.echo(json.dumps({"schema_version": 1, "secrets": rows}, indent=2, sort_keys=True))
    else:
        for r in rows:
            state = "STILL AT HEAD" if r["still_at_head"] else "removed since"
            click.echo(f"{r['commit'][:12]}  {r['file']}:{r['line']}  {r['severity'].upper():<8} {r['rule_id']}  "
                       f"{r['secret']['masked']} ({r['secret']['length']} chars)  [{state}]  {r['date']}")
        click.echo(f"{len(rows)} secret(s) in history, {sum(r['still_at_head'] for r in rows)} still at HEAD. "
                   "A secret that was ever committed must be rotated, even if it was removed later.")
    return EXIT_FINDINGS if rows else EXIT_CLEAN


@cli.group()
def rules() -> None:
    """List and explain the rules."""


@rules.command("list")
@click.option("--policy", default=None, help="Only the rules this policy pack selects.")
@click.option("--rules-dir", multiple=True, type=click.Path(file_okay=False, path_type=str), help="Extra directory of rule YAML files.")
@click.option("--framework", help="Only rules mapped to this framework (e.g. cis-aws-foundations-3.0, nist-800-53-r5).")
@click.option("--pillar", type=click.Choice(("identity", "devices", "networks", "applications", "data", "visibility", "automation")), help="Only rules of this zero-trust pillar.")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@CONFIG_OPTION
def rules_list(policy: str | None, rules_dir: tuple[str, ...], framework: str | None, pillar: str | None, fmt: str, config_file: str | None) -> int:
    """List rules: id, severity, domain and title."""
    import json

    from scanner.engine.loader import apply_policy
    from scanner.engine.loader import load_policy
    from scanner.engine.loader import load_rules

    loaded = load_rules(_rules_dirs(rules_dir, config_file))
    if policy:
        loaded = apply_policy(loaded, load_policy(policy))
    ordered = [loaded[k] for k in sorted(loaded)]
    if framework:
        known = sorted({f for r in loaded.values() for f in r.frameworks})
        if framework not in known:
            raise UsageError(f"unknown framework {framework!r}; known: {', '.join(known)}")
        ordered = [r for r in ordered if framework in r.frameworks]
    if pillar:
        ordered = [r for r in ordered if r.pillar == pillar]
    if fmt == "json":
        rows = [{"id": r.id, "name": r.name, "severity": r.severity, "domain": r.domain, "title": r.title, "status": r.status,
                 "schemas": r.schemas, "zero_trust_pillar": r.pillar, "frameworks": r.frameworks} for r in ordered]
        click.echo(json.dumps(rows, indent=2, sort_keys=True))
        return EXIT_CLEAN
    for r in ordered:
        controls = f"  [{framework} {', '.join(r.frameworks[framework])}]" if framework else ""
        click.echo(f"{r.id:<16} {r.severity:<8} {r.domain:<15} {r.title}{controls}")
    click.echo(f"{len(ordered)} rule(s)")
    return EXIT_CLEAN


@rules.command("show")
@click.argument("rule_id")
@click.option("--rules-dir", multiple=True, type=click.Path(file_okay=False, path_type=str), help="Extra directory of rule YAML files.")
@CONFIG_OPTION
def rules_show(rule_id: str, rules_dir: tuple[str, ...], config_file: str | None) -> int:
    """Print a rule's documentation."""
    from scanner import RULE_DOCS_URL
    from scanner.engine.loader import load_rules

    loaded = load_rules(_rules_dirs(rules_dir, config_file))
    rule = loaded.get(rule_id) or loaded.get(rule_id.upper())
    if rule is None:
        raise UsageError(f"unknown rule {rule_id!r}; see 'zerodrift rules list'")
    lines = [
        f"{rule.id}  {rule.name}",
        rule.title,
        f"severity: {rule.severity}   domain: {rule.domain}   zero-trust pillar: {rule.pillar}   status: {rule.status}",
        "applies to: " + "; ".join(c.schema + ": " + ", ".join(c.types) for c in rule.checks),
        "",
        "What it does",
        f"  {rule.description}",
        "",
        "Why is this bad?",
        f"  {rule.why}",
        "",
        "How to fix",
        f"  {rule.fix}",
        "",
        "Frameworks",
        *[f"  {name}: {', '.join(ids)}" for name, ids in sorted(rule.frameworks.items())],
        "",
        "References",
        *[f"  {ref}" for ref in rule.references],
        f"  {RULE_DOCS_URL}{rule.id}.md",
    ]
    click.echo("\n".join(lines))
    return EXIT_CLEAN


@rules.command("test")
@click.option("--rules-dir", "rules_dirs", multiple=True, required=True, type=click.Path(exists=True, file_okay=False, path_type=str), help="Directory of your rule YAML files (repeatable).")
@click.option("--fixtures", type=click.Path(exists=True, file_okay=False, path_type=str), help="Directory holding <ID>/bad, <ID>/good and <ID>/expected.yaml (default: the tests/ folder of the rules directory).")
def rules_test(rules_dirs: tuple[str, ...], fixtures: str | None) -> int:
    """Run each custom rule against its bad and good fixtures."""
    from pathlib import Path

    from scanner.engine.loader import load_rules
    from scanner.ruletest import check_rule

    builtin = set(load_rules())
    loaded = load_rules(rules_dirs)
    custom = sorted(set(loaded) - builtin)
    if not custom:
        raise UsageError(f"no custom rules found in {', '.join(rules_dirs)}")
    failed = 0
    for rule_id in custom:
        source = Path(loaded[rule_id].source).resolve()
        home = next(Path(d) for d in rules_dirs if source.is_relative_to(Path(d).resolve()))
        base = Path(fixtures) if fixtures else home / "tests"
        problems = check_rule(loaded[rule_id], base / rule_id)
        click.echo(f"{'ok  ' if not problems else 'FAIL'} {rule_id}")
        for problem in problems:
            click.echo(f"       {problem}")
        failed += bool(problems)
    click.echo(f"{len(custom) - failed} passed, {failed} failed")
    return EXIT_FINDINGS if failed else EXIT_CLEAN


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        rv = cli.main(args=args, prog_name="zerodrift", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("zerodrift: aborted", err=True)
        return 130
    except click.ClickException as exc:
        hint = ""
        ctx = getattr(exc, "ctx", None)
        if ctx is not None:
            hint = f" (try '{ctx.command_path} --help')"
        click.echo(f"zerodrift: error: {_one_line(exc.format_message())}{hint}", err=True)
        return EXIT_ERROR
    except UsageError as exc:
        click.echo(f"zerodrift: error: {_one_line(str(exc))}", err=True)
        return EXIT_ERROR
    except KeyboardInterrupt:
        click.echo("zerodrift: interrupted", err=True)
        return 130
    except Exception as exc:  # the one place an unexpected failure is turned into exit 2
        click.echo(f"zerodrift: internal error: {type(exc).__name__}: {_one_line(str(exc))[:300]}", err=True)
        return EXIT_ERROR
    return rv if isinstance(rv, int) else EXIT_CLEAN
