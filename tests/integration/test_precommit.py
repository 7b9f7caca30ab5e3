"""The pre-commit hooks of .pre-commit-hooks.yaml, run by the real pre-commit.

Nothing here needs the network except two look-ups at the start, each skipped
with its reason when the package index cannot be reached:

- a wheelhouse: ``pip download`` of the build requirements and the runtime
  dependencies named in pyproject.toml;
- pre-commit itself, installed into a throwaway virtualenv.

The hook environments are then built offline (``PIP_NO_INDEX=1``,
``PIP_FIND_LINKS=<wheelhouse>``, ``PRE_COMMIT_HOME`` in a temporary folder),
from the checkout this file belongs to. pre-commit clones that checkout with
git, which misses files that are not committed yet (a new hook manifest, say),
so unless the checkout is clean it is first copied (tracked plus untracked,
non-ignored files) into a temporary repository and committed there.

``pre-commit try-repo`` builds a new hook environment on every call (its store
lives in its own temporary folder); the ``.pre-commit-config.yaml`` tests share
one ``PRE_COMMIT_HOME`` and so one environment.
"""
from __future__ import annotations

import os
import random
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]  # the checkout under test
MANIFEST = REPO / ".pre-commit-hooks.yaml"
UNREACHABLE = (
    "No matching distribution found", "Could not find a version", "NewConnectionError", "Failed to establish a new connection",
    "Temporary failure in name resolution", "Name or service not known", "Network is unreachable", "ProxyError",
    "ConnectTimeoutError", "ReadTimeoutError", "Max retries exceeded", "SSLError", "connection refused",
)


def fake_aws_key_pair() -> tuple[str, str]:
    """A well-formed but random AWS access key id and secret key, made at run time."""
    rng = random.SystemRandom()
    key_id = "AKIA" + "".join(rng.choice(string.ascii_uppercase + "234567") for _ in range(16))
    secret = "".join(rng.choice(string.ascii_letters + string.digits + "/+") for _ in range(40))
    return key_id, secret


PRIVILEGED_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: web
spec:
  containers:
    - name: shell
      image: busybox:1.36.1
      securityContext:
        privileged: true
"""

CLEAN_FILES = {
    "main.tf": 'variable "region" {\n  type    = string\n  default = "eu-west-1"\n}\n',
    "k8s/configmap.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: web\ndata:\n  LOG_LEVEL: info\n",
    "app.py": "def add(a, b):\n    return a + b\n",
    ".env": "LOG_LEVEL=info\n",
    "README.md": "# demo\n",
}


# ---------------------------------------------------------------- helpers

def _run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def _tail(proc: subprocess.CompletedProcess[str], n: int = 3000) -> str:
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout[-n:]}\n--- stderr\n{proc.stderr[-n:]}"


def _pip_or_skip(cmd: list[str], what: str) -> None:
    proc = _run(cmd, timeout=600)
    if proc.returncode != 0:
        output = proc.stdout + proc.stderr
        if any(marker.lower() in output.lower() for marker in UNREACHABLE):
            reason = next(line for line in output.splitlines()[::-1] if line.strip())
            pytest.skip(f"package index unreachable, cannot {what}: {reason.strip()[:300]}")
        pytest.fail(f"cannot {what}:\n{_tail(proc)}")


def _git(cwd: Path, *args: str, env: dict[str, str]) -> str:
    proc = _run(["git", *args], cwd=cwd, env=env)
    assert proc.returncode == 0, f"git {' '.join(args)}\n{_tail(proc)}"
    return proc.stdout.strip()


def _write(root: Path, files: dict[str, str]) -> list[str]:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return sorted(files)


def _hook_names() -> dict[str, str]:
    return {hook["id"]: hook["name"] for hook in yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))}


def hook_results(output: str) -> dict[str, tuple[str, str]]:
    """hook id -> (Passed|Failed|Skipped, the hook's own output) from a pre-commit run."""
    names = _hook_names()
    status_re = re.compile(
        r"^(?P<name>" + "|".join(re.escape(n) for n in sorted(names.values(), key=len, reverse=True))
        + r")\.*(?:\(no files to check\))?(?P<status>Passed|Failed|Skipped)$", re.M)
    ids = {name: hook_id for hook_id, name in names.items()}
    matches = list(status_re.finditer(output))
    results = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(output)
        results[ids[m["name"]]] = (m["status"], output[m.end():end])
    return results


def reported_files(hook_output: str) -> set[str]:
    """Files named in zerodrift's --quiet report (``path:line: RULE-ID severity message``)."""
    out = set()
    for line in hook_output.splitlines():
        head, sep, rest = line.partition(":")
        if sep and rest.split(":", 1)[0].isdigit() and not line.startswith(("- ", " ")):
            out.add(head)
    return out


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def tools(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Wheelhouse, pre-commit, the zerodrift repository to install hooks from, and an offline environment."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    base = tmp_path_factory.mktemp("precommit")
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    wheelhouse = base / "wheelhouse"
    requirements = [*project["build-system"]["requires"], "wheel", *project["project"]["dependencies"]]
    _pip_or_skip([sys.executable, "-m", "pip", "download", "--quiet", "--retries", "1", "--timeout", "30",
                  "-d", str(wheelhouse), *requirements], "build the wheelhouse")

    venv = base / "pc-venv"
    proc = _run([sys.executable, "-m", "venv", str(venv)])
    assert proc.returncode == 0, _tail(proc)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    _pip_or_skip([str(bindir / "python"), "-m", "pip", "install", "--quiet", "--retries", "1", "--timeout", "30",
                  "pre-commit==4.*"], "install pre-commit")
    pre_commit = str(bindir / "pre-commit")

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PRE_COMMIT", "GIT_", "VIRTUAL_ENV")) and k != "PYTHONPATH"}
    env.update({
        "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheelhouse), "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PRE_COMMIT_HOME": str(base / "pre-commit-home"), "XDG_CACHE_HOME": str(base / "cache"),
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "NO_COLOR": "1",
    })
    source, rev = _hook_repository(base, env)
    return {"pre_commit": pre_commit, "env": env, "source": source, "rev": rev, "base": base}


def _hook_repository(base: Path, env: dict[str, str]) -> tuple[Path, str]:
    """The checkout under test if everything in it is committed, else a committed copy of its working tree."""
    if not (REPO / ".git").exists():
        pytest.skip(f"{REPO} is not a git checkout")
    dirty = _git(REPO, "status", "--porcelain", "--untracked-files=all", env=env)
    if not dirty:
        return REPO, _git(REPO, "rev-parse", "HEAD", env=env)
    copy = base / "zerodrift"
    copy.mkdir()
    listed = _git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard", env=env)
    for rel in sorted(set(filter(None, listed.split("\0")))):
        src = REPO / rel
        if not os.path.lexists(src) or src.is_dir():
            continue  # a tracked file deleted in the working tree, or a submodule
        dst = copy / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst, follow_symlinks=False)
    _git(copy, "init", "-q", env=env)
    _git(copy, "add", "-A", env=env)
    _git(copy, "commit", "-q", "--no-verify", "-m", "working tree of the checkout under test", env=env)
    return copy, _git(copy, "rev-parse", "HEAD", env=env)


@pytest.fixture
def project(tmp_path: Path, tools: dict[str, object]) -> Path:
    """An empty git repository for one test."""
    repo = tmp_path / "project"
    repo.mkdir()
    _git(repo, "init", "-q", env=tools["env"])  # type: ignore[arg-type]
    return repo


def _try_repo(tools: dict[str, object], cwd: Path, files: list[str], *hook_ids: str) -> subprocess.CompletedProcess[str]:
    cmd = [str(tools["pre_commit"]), "try-repo", str(tools["source"]), *hook_ids, "--ref", str(tools["rev"]), "--color", "never", "--files", *files]
    return _run(cmd, cwd=cwd, env=tools["env"])  # type: ignore[arg-type]


def _config(tools: dict[str, object], *hook_ids: str) -> str:
    hooks = "".join(f"    -   id: {hook_id}\n" for hook_id in hook_ids)
    return f"repos:\n-   repo: {tools['source']}\n    rev: {tools['rev']}\n    hooks:\n{hooks}"


# ---------------------------------------------------------------- tests

def test_manifest_is_valid(tools: dict[str, object]) -> None:
    proc = _run([str(tools["pre_commit"]), "validate-manifest", str(MANIFEST)], env=tools["env"])  # type: ignore[arg-type]
    assert proc.returncode == 0, _tail(proc)
    assert set(_hook_names()) == {"zerodrift", "zerodrift-secrets"}


def test_try_repo_planted_secret_fails_both_hooks(tools: dict[str, object], project: Path) -> None:
    key_id, secret = fake_aws_key_pair()
    files = _write(project, {"settings.py": f'AWS_ACCESS_KEY_ID = "{key_id}"\nAWS_SECRET_ACCESS_KEY = "{secret}"\n'})
    _git(project, "add", "-A", env=tools["env"])  # type: ignore[arg-type]
    proc = _try_repo(tools, project, files)  # no hook id: every hook of the manifest
    assert proc.returncode == 1, _tail(proc)
    results = hook_results(proc.stdout)
    for hook_id in ("zerodrift", "zerodrift-secrets"):
        status, output = results[hook_id]
        assert status == "Failed", _tail(proc)
        assert "exit code: 1" in output
        assert "ZD-SECRET-001" in output and "ZD-SECRET-002" in output, output
    assert key_id not in proc.stdout + proc.stderr and secret not in proc.stdout + proc.stderr, "a secret was printed in full"


def test_try_repo_privileged_pod_fails_policy_hook_only(tools: dict[str, object], project: Path) -> None:
    files = _write(project, {"k8s/debug-pod.yaml": PRIVILEGED_POD})
    _git(project, "add", "-A", env=tools["env"])  # type: ignore[arg-type]
    proc = _try_repo(tools, project, files)
    assert proc.returncode == 1, _tail(proc)
    results = hook_results(proc.stdout)
    status, output = results["zerodrift"]
    assert status == "Failed", _tail(proc)
    assert "ZD-K8S-001" in output and "k8s/debug-pod.yaml" in output, output
    assert results["zerodrift-secrets"][0] == "Passed", _tail(proc)


def test_try_repo_clean_files_pass(tools: dict[str, object], project: Path) -> None:
    files = _write(project, CLEAN_FILES)
    _git(project, "add", "-A", env=tools["env"])  # type: ignore[arg-type]
    proc = _try_repo(tools, project, files)
    assert proc.returncode == 0, _tail(proc)
    results = hook_results(proc.stdout)
    assert {hook_id: status for hook_id, (status, _) in results.items()} == {"zerodrift": "Passed", "zerodrift-secrets": "Passed"}, _tail(proc)


def test_installed_hook_blocks_a_commit_with_a_secret(tools: dict[str, object], project: Path) -> None:
    env: dict[str, str] = tools["env"]  # type: ignore[assignment]
    (project / ".pre-commit-config.yaml").write_text(_config(tools, "zerodrift"), encoding="utf-8")
    proc = _run([str(tools["pre_commit"]), "install"], cwd=project, env=env)
    assert proc.returncode == 0, _tail(proc)
    assert (project / ".git" / "hooks" / "pre-commit").is_file()

    _write(project, CLEAN_FILES)
    _git(project, "add", "-A", env=env)
    proc = _run(["git", "commit", "-m", "clean"], cwd=project, env=env)
    assert proc.returncode == 0, f"a clean commit was blocked\n{_tail(proc)}"
    head = _git(project, "rev-parse", "HEAD", env=env)

    key_id, secret = fake_aws_key_pair()
    _write(project, {"deploy/prod.env": f"AWS_ACCESS_KEY_ID={key_id}\nAWS_SECRET_ACCESS_KEY={secret}\n"})
    _git(project, "add", "-A", env=env)
    proc = _run(["git", "commit", "-m", "add credentials"], cwd=project, env=env)
    assert proc.returncode == 1, _tail(proc)
    output = proc.stdout + proc.stderr
    assert "ZD-SECRET-001" in output and "deploy/prod.env" in output, output
    assert key_id not in output and secret not in output, "a secret was printed in full"
    assert _git(project, "rev-parse", "HEAD", env=env) == head, "the commit went through"
    assert "deploy/prod.env" in _git(project, "diff", "--cached", "--name-only", env=env), "the staged file was lost"


def test_no_file_is_dropped_by_the_hook_filters(tools: dict[str, object], project: Path) -> None:
    """Each hook receives every kind of text file a secret or IaC can hide in, whatever tags identify gives it."""
    env: dict[str, str] = tools["env"]  # type: ignore[assignment]
    key_id, secret = fake_aws_key_pair()
    line = f"AWS_SECRET_ACCESS_KEY={secret}"
    files = {
        ".env": f"AWS_ACCESS_KEY_ID={key_id}\n{line}\n",
        "config/prod.env": f"{line}\n",
        "app.dockerfile": f"FROM alpine:3.20\nENV {line}\n",
        "Containerfile.dev": f"FROM alpine:3.20\nENV {line}\n",
        "Dockerfile": f"FROM alpine:3.20\nENV {line}\n",
        "infra/main.tf": f'locals {{\n  aws_secret_access_key = "{secret}"\n}}\n',
        "infra/prod.tfvars": f'aws_secret_access_key = "{secret}"\n',
        "infra/terragrunt.hcl": f'inputs = {{\n  aws_secret_access_key = "{secret}"\n}}\n',
        "cfn/stack.template": ('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n'
                               f"    Properties:\n      Environment:\n        Variables:\n          AWS_SECRET_ACCESS_KEY: {secret}\n"),
        "k8s/app.yml": f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  {line.replace('=', ': ')}\n",
        "settings.json": f'{{"AWS_SECRET_ACCESS_KEY": "{secret}"}}\n',
        "src/settings.py": f'AWS_SECRET_ACCESS_KEY = "{secret}"\n',
        "scripts/deploy.sh": f"export {line}\n",
        "notes": f"{line}\n",
    }
    names = _write(project, files)
    (project / ".pre-commit-config.yaml").write_text(_config(tools, "zerodrift", "zerodrift-secrets"), encoding="utf-8")
    _git(project, "add", "-A", env=env)
    proc = _run([str(tools["pre_commit"]), "run", "--color", "never", "--files", *names], cwd=project, env=env)
    assert proc.returncode == 1, _tail(proc)
    results = hook_results(proc.stdout)
    for hook_id in ("zerodrift", "zerodrift-secrets"):
        status, output = results[hook_id]
        assert status == "Failed", _tail(proc)
        missing = set(names) - reported_files(output)
        assert not missing, f"{hook_id} did not report {sorted(missing)}:\n{output}"
    assert secret not in proc.stdout + proc.stderr, "a secret was printed in full"
