"""The GitHub Action: action.yml metadata (schema, inputs, no expressions in
scripts) and its entry point ``python -m scanner.github_action`` run as the
runner would, with temporary GITHUB_OUTPUT / GITHUB_STEP_SUMMARY and a fake
pull_request event (shared docs/integrations.md §5 and §7.3)."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from scanner import github_action
from scanner.errors import UsageError
from testhelpers import git as _git
from testhelpers import OPEN_SG_TEMPLATE

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
ACTION_TEXT = (REPO / "action.yml").read_text(encoding="utf-8")
ACTION = yaml.safe_load(ACTION_TEXT)
ANNOTATION = re.compile(r"^::(?P<level>error|warning|notice) file=(?P<file>[^,:]+),line=(?P<line>\d+)(?:,endLine=(?P<end>\d+))?,"
                        r"title=(?P<title>[^:]+)::(?P<message>.+)$")
OPEN_SG = OPEN_SG_TEMPLATE
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


# ---- action.yml

def test_action_yml_is_valid_against_the_schema() -> None:
    import jsonschema

    path = SHARED / "schemas" / "github-action.schema.json"
    if not path.is_file():
        pytest.skip(f"{path} not present (the shared/ folder beside the repo)")
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in jsonschema.Draft7Validator(schema).iter_errors(ACTION)]
    assert errors == []


def test_metadata_follows_the_checklist() -> None:
    assert ACTION["name"] and ACTION["description"] and ACTION["author"]
    assert ACTION["branding"]["icon"] == "shield"
    assert ACTION["runs"]["using"] == "composite"
    for name, spec in ACTION["inputs"].items():
        assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", name), f"{name} is not kebab-case"
        assert spec["description"].strip(), name
        assert isinstance(spec["default"], str), f"{name}: defaults are strings"
    assert set(ACTION["inputs"]) == {"paths", "policy", "fail-on", "diff-base", "baseline", "config", "sarif-file", "extra-args",
                                     "job-summary"}
    assert ACTION["inputs"]["sarif-file"]["default"] == "zerodrift.sarif"
    assert ACTION["inputs"]["job-summary"]["default"] == "true"
    step_ids = {s.get("id") for s in ACTION["runs"]["steps"]}
    assert set(ACTION["outputs"]) == {"sarif-file", "findings", "failing", "exit-code"}
    for name, spec in ACTION["outputs"].items():
        assert spec["description"].strip()
        match = re.fullmatch(r"\$\{\{ steps\.([a-z-]+)\.outputs\.([a-z-]+) \}\}", spec["value"])
        assert match and match.group(1) in step_ids and match.group(2) == name


def test_every_referenced_input_is_declared_and_every_input_is_used() -> None:
    referenced = set(re.findall(r"inputs\.([A-Za-z_][A-Za-z0-9_-]*)", ACTION_TEXT))
    assert referenced <= set(ACTION["inputs"]), referenced - set(ACTION["inputs"])
    assert referenced == set(ACTION["inputs"]), "an input that is never passed on does nothing"


def test_scripts_hold_no_expressions_and_run_in_bash() -> None:
    steps = ACTION["runs"]["steps"]
    assert steps
    for step in steps:
        if "run" in step:
            assert "${{" not in step["run"], f"step {step.get('name')}: pass inputs through env:, never ${{{{ }}}} in run:"
            assert step["shell"] == "bash"
        assert "uses" not in step or re.search(r"@[0-9a-f]{40}$", step["uses"]), "uses: pinned by commit SHA"


# ---- the entry point, as a subprocess



@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str

    @property
    def annotations(self) -> list[re.Match]:
        return [m for m in map(ANNOTATION.match, self.stdout.splitlines()) if m]

    def sarif(self) -> dict:
        return json.loads(Path(self.outputs["sarif-file"]).read_text(encoding="utf-8"))


def _parse_outputs(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and "=" not in line.split("<<", 1)[0]:
            name, delimiter = line.split("<<", 1)
            value = []
            for more in lines:
                if more == delimiter:
                    break
                value.append(more)
            out[name] = "\n".join(value)
        else:
            name, _, value = line.partition("=")
            out[name] = value
    return out


def _event(tmp: Path, base: str | None) -> Path:
    payload = {"action": "synchronize", "number": 7, "pull_request": {"number": 7, "base": {"ref": "main", "sha": base},
                                                                       "head": {"ref": "feature", "sha": "f" * 40}}}
    path = tmp / "event.json"
    path.write_text(json.dumps(payload))
    return path


def _run_action(workspace: Path, tmp: Path, *, event: Path | None = None, command: list[str] | None = None,
                cwd: Path | None = None, **inputs: str) -> Run:
    """Run like the composite step: every input as ZERODRIFT_* (empty when not given), runner variables set."""
    for name in ("output", "summary"):
        (tmp / name).write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "ZERODRIFT_"))}
    env.update({
        "GITHUB_WORKSPACE": str(workspace), "GITHUB_OUTPUT": str(tmp / "output"), "GITHUB_STEP_SUMMARY": str(tmp / "summary"),
        "GITHUB_EVENT_NAME": "pull_request" if event else "push", "GITHUB_ACTIONS": "true",
    })
    if event:
        env["GITHUB_EVENT_PATH"] = str(event)
    for name, spec in ACTION["inputs"].items():
        env["ZERODRIFT_" + name.upper().replace("-", "_")] = inputs.get(name.replace("-", "_"), spec["default"])
    proc = subprocess.run(command or [sys.executable, "-m", "scanner.github_action"], cwd=cwd or tmp, env=env,
                          capture_output=True, text=True, check=False)
    return Run(proc.returncode, proc.stdout, proc.stderr, _parse_outputs((tmp / "output").read_text()),
               (tmp / "summary").read_text())


@pytest.fixture
def pr_repo(tmp_path: Path) -> tuple[Path, Path]:
    """A repository whose pull request adds the insecure examples; and the event of that pull request."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("demo\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "base")
    base = _git(repo, "rev-parse", "HEAD")
    _git(repo, "checkout", "-qb", "feature")
    shutil.copytree(REPO / "examples", repo, dirs_exist_ok=True)
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "add infrastructure")
    return repo, _event(tmp_path, base)


def _block(stdout: str) -> tuple[list[str], list[str], list[str]]:
    """Lines before ``::stop-commands::TOKEN``, inside the block, and after ``::TOKEN::``."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("::stop-commands::"))
    token = lines[start].split("::")[2]
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    end = lines.index(f"::{token}::")
    return lines[:start], lines[start + 1:end], lines[end + 1:]


@needs_git
def test_pull_request_on_the_examples(pr_repo, tmp_path: Path, sarif_validator) -> None:
    repo, event = pr_repo
    run = _run_action(repo, tmp_path, event=event)
    assert run.code == 1, run.stderr
    assert run.stderr == ""
    # SARIF: written, valid, relative to the repository root
    sarif_path = Path(run.outputs["sarif-file"])
    assert sarif_path == repo / "zerodrift.sarif" and sarif_path.is_file()
    log = run.sarif()
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in sarif_validator.iter_errors(log)]
    assert errors == []
    results = log["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert "terraform/main.tf" in uris and ".github/workflows/ci.yml" in uris
    # outputs
    failing = [r for r in results if r["properties"]["severity"] in ("critical", "high")]
    assert run.outputs == {"sarif-file": str(sarif_path), "findings": str(len(results)), "failing": str(len(failing)),
                           "exit-code": "1"}
    # job summary: counts by severity, then the table
    counts = {s: sum(r["properties"]["severity"] == s for r in results) for s in ("critical", "high", "medium", "low", "info")}
    assert run.summary.startswith(f"## zerodrift: {len(failing)} finding(s) at or above high")
    for severity, count in counts.items():
        assert f"| {severity} | {count} |" in run.summary
    assert "| severity | rule | location | message |" in run.summary
    assert "[terraform/main.tf#L27](terraform/main.tf#L27)" in run.summary
    # annotations: only failing findings, 10 at most per level, each at a real result's place
    before, inside, after = _block(run.stdout)
    assert after == []
    annotations = run.annotations
    assert [m.group(0) for m in annotations] == before, "only annotations come before the stop-commands block"
    assert len(annotations) == 10 and {m["level"] for m in annotations} == {"error"}
    places = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["locations"][0]["physicalLocation"]["region"]["startLine"],
               r["ruleId"]) for r in failing}
    for m in annotations:
        rule_id = m["title"].split(" ", 1)[0]
        assert (m["file"], int(m["line"]), rule_id) in places
        assert "%3A" in m["title"], "':' in a property is escaped"
    assert any(m["file"] == "terraform/main.tf" and m["line"] == "27" for m in annotations)
    assert f"{len(failing) - 10} more error annotation(s) not shown" in run.stdout
    assert any("ZD-AWS-002" in line for line in inside), "the text report is echoed inside the block"


@needs_git
def test_diff_only_gating_defaults_to_the_pull_requests_base(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    shutil.copytree(REPO / "examples", repo, dirs_exist_ok=True)
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "base")
    event = _event(tmp_path, _git(repo, "rev-parse", "HEAD"))
    _git(repo, "checkout", "-qb", "feature")
    (repo / "terraform" / "new.tf").write_text(OPEN_SG.format(name="new"))
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "open SSH")

    run = _run_action(repo, tmp_path, event=event, job_summary="false")
    assert run.code == 1, run.stderr
    assert run.outputs["failing"] == "1" and int(run.outputs["findings"]) > 50
    assert [(m["level"], m["file"], m["line"]) for m in run.annotations] == [("error", "terraform/new.tf", "6")]
    assert "on lines changed since" in run.stdout
    assert run.summary == "", "job-summary: false"
    levels = {r["level"] for r in run.sarif()["runs"][0]["results"] if "new.tf" not in str(r["locations"])}
    assert levels == {"note"}, "the SARIF stays full-repo; findings outside the diff are notes"

    everything = _run_action(repo, tmp_path, event=event, diff_base="none")
    assert everything.code == 1 and int(everything.outputs["failing"]) > 20 and len(everything.annotations) == 10

    # a base commit that is not in the checkout (fetch-depth 1): a warning, then gating on everything
    shallow = _run_action(repo, tmp_path, event=_event(tmp_path, "0" * 40))
    assert shallow.code == 1 and shallow.outputs["failing"] == everything.outputs["failing"]
    assert shallow.stdout.startswith("::warning title=zerodrift::diff-only gating is off")

    # an explicit diff-base that does not exist is a usage error
    bad = _run_action(repo, tmp_path, event=event, diff_base="no-such-branch")
    assert bad.code == 2 and len(bad.stderr.splitlines()) == 1 and "--diff-base" in bad.stderr


def test_clean_repository_exits_0(tmp_path: Path, sarif_validator) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "README.md").write_text("no infrastructure here\n")
    run = _run_action(repo, tmp_path, paths="README.md")
    assert run.code == 0, run.stderr
    assert run.outputs == {"sarif-file": str(repo / "zerodrift.sarif"), "findings": "0", "failing": "0", "exit-code": "0"}
    assert list(sarif_validator.iter_errors(run.sarif())) == []
    assert run.annotations == []
    assert run.summary.startswith("## zerodrift: no findings")


def test_inputs_reach_the_scan(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "examples", repo)
    (repo / ".zerodrift.yaml").write_text("fail_on: critical\n")
    run = _run_action(repo, tmp_path, paths="terraform kubernetes", sarif_file="reports/out.sarif",
                      extra_args="--no-secrets --exclude 'kubernetes/*'")
    assert run.code == 1, run.stderr
    assert run.outputs["sarif-file"] == str(repo / "reports" / "out.sarif")
    rule_ids = {r["ruleId"] for r in run.sarif()["runs"][0]["results"]}
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run.sarif()["runs"][0]["results"]}
    assert uris == {"terraform/main.tf"} and not any(r.startswith("ZD-SECRET") for r in rule_ids)
    assert run.outputs["failing"] == "2", "fail_on: critical from the configuration file"
    assert all(m["title"].split(" ")[1] == "(critical)%3A" for m in run.annotations)
    # the input overrides the configuration file
    run = _run_action(repo, tmp_path, paths="terraform", fail_on="medium", policy="cis-aws")
    assert run.code == 1 and run.sarif()["runs"][0]["properties"]["failOn"] == "medium"
    assert {m["level"] for m in run.annotations} <= {"error", "warning"}
    config = tmp_path / "strict.yaml"
    config.write_text("exclude: [terraform]\n")
    run = _run_action(repo, tmp_path, paths="terraform", config=str(config))
    assert run.code == 0 and run.outputs["findings"] == "0"


@pytest.mark.parametrize(("inputs", "expected"), [
    ({"extra_args": "--format json"}, "--format is not supported"),
    ({"extra_args": "--output=x.json"}, "--output is not supported"),
    ({"extra_args": "infra/"}, "put paths in the 'paths' input"),
    ({"extra_args": "--exclude 'unbalanced"}, "extra-args: No closing quotation"),
    ({"fail_on": "severe"}, "ZERODRIFT_FAIL_ON"),
    ({"job_summary": "maybe"}, "ZERODRIFT_JOB_SUMMARY"),
    ({"paths": "no-such-dir"}, "no such file or directory: no-such-dir"),
    ({"config": "missing.yaml"}, "configuration file not found: missing.yaml"),
])
def test_usage_errors_exit_2_with_one_line(tmp_path: Path, inputs: dict[str, str], expected: str) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    run = _run_action(repo, tmp_path, **inputs)
    assert run.code == 2
    assert len(run.stderr.splitlines()) == 1 and run.stderr.startswith("zerodrift: error: ") and expected in run.stderr
    assert run.stdout.startswith("::error title=zerodrift::error: ")
    assert run.outputs == {"exit-code": "2"}, "no sarif-file output: the upload step is skipped"
    assert not (repo / "zerodrift.sarif").exists()


def test_scanned_content_cannot_issue_workflow_commands(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "pod.yaml").write_text(
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "api\\n::error file=x,line=1::pwned\\n::add-mask::x"\n'
        "spec:\n  containers:\n    - name: c\n      image: nginx:1.25\n      securityContext:\n        privileged: true\n")
    run = _run_action(repo, tmp_path, extra_args="--no-secrets")
    assert run.code == 1
    before, inside, after = _block(run.stdout)
    assert after == [] and before and all(ANNOTATION.match(line) for line in before)
    assert any(line.startswith("::error file=x,line=1::pwned") for line in inside), "echoed, but inside the block"
    assert all("pwned%0A::add-mask::x" in line for line in before), "newlines in annotation messages are escaped"
    assert not any(line.startswith("::") for line in run.summary.splitlines()), "the summary folds messages onto one line"


# ---- helpers, in-process

def test_parse_extra_args_allow_list() -> None:
    extra = github_action.parse_extra_args("--exclude=a --exclude 'b c' --rules-dir rules --max-file-size 100 --no-secrets")
    assert (extra.exclude, extra.rules_dirs, extra.max_file_size, extra.no_secrets, extra.secrets_only) == (
        ["a", "b c"], ["rules"], 100, True, False)
    assert github_action.parse_extra_args("").exclude == []
    for bad, message in [("--secrets-only --no-secrets", "exclude each other"), ("--exclude", "needs a value"),
                         ("--max-file-size 0", "whole number"), ("--max-file-size=1k", "whole number"),
                         ("--no-secrets=yes", "takes no value"), ("-o x", "-o is not supported"),
                         ("--baseline b.json", "--baseline is not supported")]:
        with pytest.raises(UsageError, match=message):
            github_action.parse_extra_args(bad)


def test_command_escaping() -> None:
    line = github_action.command("error", "50% done\r\nnext", file="a,b:c.tf", line=3, endLine=None, title="x: y, 100%")
    assert line == "::error file=a%2Cb%3Ac.tf,line=3,title=x%3A y%2C 100%25::50%25 done%0D%0Anext"
    assert github_action.command("notice", "plain") == "::notice::plain"


def test_annotations_at_most_ten_per_level() -> None:
    from scanner.model import Finding

    findings = [Finding(rule_id=f"ZD-T-{i:03}", severity=sev, title="t", message=f"m{i}", file="f.tf", line=i + 1, end_line=i + 2,
                        resource="r", resource_type="x", path="") for i, sev in enumerate(["critical", "medium", "low"] * 15)]
    lines, left = github_action.annotations(findings)
    levels = [line.split(" ", 1)[0] for line in lines]
    assert levels == ["::error"] * 10 + ["::warning"] * 10 + ["::notice"] * 10
    assert left == {"error": 5, "warning": 5, "notice": 5}
    assert lines[0] == "::error file=f.tf,line=1,endLine=2,title=ZD-T-000 (critical)%3A t::m0"


def test_pull_request_base_from_the_event(tmp_path: Path) -> None:
    event = _event(tmp_path, "a" * 40)
    assert github_action.pull_request_base({"GITHUB_EVENT_PATH": str(event), "GITHUB_EVENT_NAME": "pull_request"}) == "a" * 40
    assert github_action.pull_request_base({"GITHUB_EVENT_PATH": str(event), "GITHUB_EVENT_NAME": "push"}) is None
    (tmp_path / "push.json").write_text('{"ref": "refs/heads/main"}')
    assert github_action.pull_request_base({"GITHUB_EVENT_PATH": str(tmp_path / "push.json")}) is None
    assert github_action.pull_request_base({}) is None


# ---- the composite action's own scripts, in a simulated runner

def _expand(value: str, inputs: dict[str, str], step_outputs: dict[str, dict[str, str]]) -> str:
    def one(match: re.Match) -> str:
        expr = match.group(1).strip()
        if m := re.fullmatch(r"inputs\.([A-Za-z0-9_-]+)", expr):
            return inputs.get(m.group(1), ACTION["inputs"][m.group(1)]["default"])
        if m := re.fullmatch(r"steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)", expr):
            return step_outputs.get(m.group(1), {}).get(m.group(2), "")
        raise AssertionError(f"the simulation does not know the expression {expr!r}")

    return re.sub(r"\$\{\{(.*?)\}\}", one, str(value))


def _run_step(step: dict, env: dict[str, str], inputs: dict[str, str], outputs: dict[str, dict[str, str]], tmp: Path,
              workspace: Path) -> subprocess.CompletedProcess:
    output_file = tmp / f"output-{step['id']}"
    output_file.write_text("")
    step_env = {**env, "GITHUB_OUTPUT": str(output_file)}
    step_env.update({k: _expand(v, inputs, outputs) for k, v in step.get("env", {}).items()})
    assert step["shell"] == "bash"
    proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=workspace, env=step_env,
                          capture_output=True, text=True, check=False)
    outputs[step["id"]] = _parse_outputs(output_file.read_text())
    return proc


def _runner_env(tmp: Path, workspace: Path, action_path: Path) -> dict[str, str]:
    (tmp / "summary").write_text("")
    (tmp / "runner-temp").mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "ZERODRIFT_", "RUNNER_"))}
    env.update({"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(workspace), "GITHUB_ACTION_PATH": str(action_path),
                "GITHUB_STEP_SUMMARY": str(tmp / "summary"), "GITHUB_EVENT_NAME": "push", "RUNNER_TEMP": str(tmp / "runner-temp")})
    return env


@pytest.mark.slow
def test_scan_step_script(tmp_path: Path) -> None:
    """The scan step's run: block with its env: evaluated, zerodrift taken from this interpreter."""
    workspace = tmp_path / "repo"
    shutil.copytree(REPO / "examples", workspace)
    env = _runner_env(tmp_path, workspace, REPO)
    outputs = {"install": {"python": sys.executable}}
    scan_step = next(s for s in ACTION["runs"]["steps"] if s.get("id") == "scan")
    proc = _run_step(scan_step, env, {"fail-on": "critical", "extra-args": "--no-secrets"}, outputs, tmp_path, workspace)
    assert proc.returncode == 1, proc.stderr
    # 4 critical in the IaC examples, 1 in the drift demo's live export (a privileged container)
    assert outputs["scan"]["exit-code"] == "1" and outputs["scan"]["failing"] == "5"
    assert Path(outputs["scan"]["sarif-file"]) == workspace / "zerodrift.sarif"
    assert ANNOTATION.match(proc.stdout.splitlines()[0])
    assert "| critical | 5 |" in (tmp_path / "summary").read_text()
    action_outputs = {name: _expand(spec["value"], {}, outputs) for name, spec in ACTION["outputs"].items()}
    assert action_outputs == outputs["scan"]


@pytest.mark.slow
def test_install_and_scan_steps(tmp_path: Path) -> None:
    """Both steps as the runner runs them: pip installs the action's own checkout into a venv under
    RUNNER_TEMP (this needs the package index, as tests/test_packaging.py does), then the scan runs
    with that venv's Python; a second install step in the same job reuses the venv."""
    action_path = tmp_path / "action"
    shutil.copytree(REPO, action_path, ignore=shutil.ignore_patterns(".git", "build", "*.egg-info", "__pycache__", ".pytest_cache",
                                                                    ".benchmarks", "tests", "bench", "*.sarif"))
    workspace = tmp_path / "repo"
    shutil.copytree(REPO / "examples", workspace)
    env = _runner_env(tmp_path, workspace, action_path)
    outputs: dict[str, dict[str, str]] = {}
    install, scan_step = ACTION["runs"]["steps"]
    proc = _run_step(install, env, {}, outputs, tmp_path, workspace)
    assert proc.returncode == 0, proc.stderr[-3000:]
    python = Path(outputs["install"]["python"])
    assert python.is_relative_to(tmp_path / "runner-temp") and python.exists()
    installed = subprocess.run([str(python), "-c", "import scanner; print(scanner.__file__)"], cwd=tmp_path, capture_output=True, text=True,
                               check=True)
    assert Path(installed.stdout.strip()).is_relative_to(tmp_path / "runner-temp"), "zerodrift runs from the venv, not from the checkout"
    proc = _run_step(scan_step, env, {}, outputs, tmp_path, workspace)
    assert proc.returncode == 1, proc.stderr
    assert outputs["scan"]["exit-code"] == "1" and Path(outputs["scan"]["sarif-file"]).is_file()
    again = _run_step(install, env, {}, outputs, tmp_path, workspace)
    assert again.returncode == 0 and Path(outputs["install"]["python"]) == python


# ---- the documented workflow

def test_documented_workflow_follows_the_checklist() -> None:
    doc = (REPO / "docs" / "github-action.md").read_text(encoding="utf-8")
    workflow = yaml.safe_load(re.search(r"```yaml\n(# \.github/workflows/.+?)```", doc, re.S).group(1))
    assert set(workflow[True]) == {"push", "pull_request"}  # PyYAML reads the key `on` as True
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["scan"]["permissions"] == {"contents": "read", "security-events": "write"}
    steps = workflow["jobs"]["scan"]["steps"]
    checkout, scan, upload = steps
    assert checkout["uses"].startswith("actions/checkout@") and re.fullmatch(r"[0-9a-f]{40}", checkout["uses"].split("@")[1])
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    assert scan["id"] == "zerodrift" and set(scan.get("with", {})) <= set(ACTION["inputs"])
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@") and re.fullmatch(r"[0-9a-f]{40}", upload["uses"].split("@")[1])
    assert upload["if"] == "${{ !cancelled() && steps.zerodrift.outputs.sarif-file != '' }}"
    assert upload["with"] == {"sarif_file": "${{ steps.zerodrift.outputs.sarif-file }}", "category": "zerodrift"}
    for line in doc.splitlines():  # every pinned uses: carries its version as a comment
        if re.search(r"uses: \S+@[0-9a-f]{40}", line):
            assert re.search(r"# v\d", line), line
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", doc, re.M))
    assert set(ACTION["inputs"]) | set(ACTION["outputs"]) <= documented
