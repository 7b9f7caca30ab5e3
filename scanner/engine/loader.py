"""Load rule files and policy packs, validate them, and compile their checks.

A broken rule or policy file is a ``UsageError`` naming the file, the JSON
pointer of the problem and the reason (exit code 2), never a traceback.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from functools import lru_cache
from pathlib import Path
from typing import Any

from scanner import __version__
from scanner.engine import checks as python_checks
from scanner.engine.conditions import compile_all_hits
from scanner.engine.paths import PathSyntaxError
from scanner.errors import ParseError
from scanner.errors import UsageError
from scanner.model import SEVERITY_RANK
from scanner.parsers.safe_yaml import load_documents

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def builtin_dir(name: str) -> Path:
    """``rules`` or ``policies``: copied into the wheel as ``scanner/_data/<name>``,
    read from the repository root when running from a checkout."""
    packaged = PACKAGE_DIR / "_data" / name
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parent / name


@dataclass
class Check:
    schema: str
    types: tuple[str, ...]
    evaluate: Callable[[Any, dict], tuple[list[tuple], bool]] | None
    python: str | None
    message: str | None
    resources: dict[str, tuple[str, ...]] | None = None  # schema drift: type glob -> path patterns


@dataclass
class Rule:
    id: str
    name: str
    title: str
    severity: str
    description: str
    why: str
    fix: str
    references: list[str]
    frameworks: dict[str, list[str]]
    pillar: str
    domain: str
    source: str
    status: str = "stable"
    confidence: str = "high"
    cwe: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)
    equivalents: dict[str, list[str]] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    default_severity: str = ""

    @property
    def schemas(self) -> list[str]:
        return sorted({c.schema for c in self.checks})


@lru_cache(maxsize=None)
def _validator(name: str) -> Any:
    import jsonschema  # deferred: only needed when rule files are loaded

    with open(PACKAGE_DIR / "schemas" / name, encoding="utf-8") as fh:
        schema = json.load(fh)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def _load_yaml_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read: {exc}") from None
    try:
        docs = load_documents(text)
    except ParseError as exc:
        where = f":{exc.line}" if exc.line else ""
        raise UsageError(f"{path}{where}: {exc.reason}") from None
    if len(docs) != 1:
        raise UsageError(f"{path}: expected exactly one YAML document")
    return docs[0].value


def cache_dir() -> Path | None:
    if os.environ.get("ZERODRIFT_NO_CACHE"):
        return None
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "zerodrift"


def validate(data: Any, schema_name: str, path: Path) -> None:
    """Validate ``data`` against a packaged schema; a UsageError names the file,
    the JSON pointer and the reason.  Content that validated before (same
    bytes, same schema, same version) is not validated again: importing
    jsonschema alone costs a third of the start-up budget."""
    marker = _validated_marker(data, schema_name)
    if marker is not None and marker.exists():
        return
    errors = sorted(_validator(schema_name).iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if errors:
        err = errors[0]
        pointer = "/" + "/".join(str(p) for p in err.absolute_path)
        raise UsageError(f"{path}: invalid at {pointer}: {_short(err.message)}")
    if marker is not None:
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError:
            pass


def _validated_marker(data: Any, schema_name: str) -> Path | None:
    root = cache_dir()
    if root is None:
        return None
    try:
        body = json.dumps(data, sort_keys=True, default=repr)
    except (TypeError, ValueError):
        return None
    digest = hashlib.sha256(__version__.encode())
    digest.update((PACKAGE_DIR / "schemas" / schema_name).read_bytes())
    digest.update(body.encode())
    return root / "validated" / digest.hexdigest()[:40]


def _short(message: str) -> str:
    return message if len(message) <= 200 else message[:197] + "..."


def _validated_rule_data(path: Path) -> dict:
    data = _load_yaml_file(path)
    validate(data, "rule.schema.json", path)
    if path.stem != data["id"]:
        raise UsageError(f"{path}: file name must be the rule id ({data['id']}.yaml)")
    return data


def _build_rule(data: dict, path: Path, domain: str) -> Rule:
    compiled: list[Check] = []
    for i, spec in enumerate(data["checks"]):
        evaluate = None
        if "match" in spec:
            try:
                evaluate = compile_all_hits(spec["match"])
            except PathSyntaxError as exc:
                raise UsageError(f"{path}: invalid at /checks/{i}/match: {exc}") from None
        elif spec["schema"] in ("secrets", "zerodrift", "drift"):
            pass  # found by the secrets engine (detector ids), zerodrift itself (suppressions) or the drift classifier
        elif spec["python"] not in python_checks.CHECKS:
            raise UsageError(f"{path}: invalid at /checks/{i}/python: unknown Python check {spec['python']!r}")
        resources = {k: tuple(v) for k, v in spec["resources"].items()} if "resources" in spec else None
        compiled.append(Check(spec["schema"], tuple(spec["types"]), evaluate, spec.get("python"), spec.get("message"), resources))
    return Rule(
        id=data["id"],
        name=data["name"],
        title=data["title"],
        severity=data["severity"],
        default_severity=data["severity"],
        description=data["description"].strip(),
        why=data["why"].strip(),
        fix=data["fix"].strip(),
        references=list(data["references"]),
        frameworks={k: list(v) for k, v in data["frameworks"].items()},
        pillar=data["zero_trust_pillar"],
        domain=domain,
        source=str(path),
        status=data.get("status", "stable"),
        confidence=data.get("confidence", "high"),
        cwe=list(data.get("cwe", [])),
        tags=list(data.get("tags", [])),
        parameters=dict(data.get("parameters", {})),
        equivalents={k: list(v) for k, v in data.get("equivalents", {}).items()},
        checks=compiled,
    )


def load_rule_file(path: Path, domain: str) -> Rule:
    return _build_rule(_validated_rule_data(path), path, domain)


def _rule_files(dirs: list[Path]) -> list[tuple[Path, str]]:
    files: list[tuple[Path, str]] = []
    for base in dirs:
        if not base.is_dir():
            raise UsageError(f"rules directory not found: {base}")
        for path in sorted(base.rglob("*.y*ml")):
            rel = path.relative_to(base)
            if path.suffix not in (".yaml", ".yml") or rel.parts[0] == "tests":
                continue  # <rules-dir>/tests/ holds the rules' fixtures
            files.append((path, rel.parts[0] if len(rel.parts) > 1 else "custom"))
    return files


def _cache_file(files: list[tuple[Path, str]]) -> Path | None:
    """Validated rule data is cached by the hash of every rule file and the schema,
    so start-up skips YAML parsing and schema validation when nothing changed."""
    root = cache_dir()
    if root is None:
        return None
    digest = hashlib.sha256(__version__.encode())
    digest.update((PACKAGE_DIR / "schemas" / "rule.schema.json").read_bytes())
    try:
        for path, domain in files:
            digest.update(f"\0{path}\0{domain}\0".encode())
            digest.update(path.read_bytes())
    except OSError:
        return None
    return root / f"rules-{digest.hexdigest()[:32]}.json"


def load_rules(extra_dirs: tuple[str, ...] = ()) -> dict[str, Rule]:
    """Built-in rules plus any ``--rules-dir``; a duplicate id is an error."""
    files = _rule_files([builtin_dir("rules")] + [Path(d) for d in extra_dirs])
    cache = _cache_file(files)
    datas: list[dict] | None = None
    if cache is not None and cache.is_file():
        try:
            datas = json.loads(cache.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            datas = None
        if not isinstance(datas, list) or len(datas) != len(files):
            datas = None
    fresh = datas is None
    if datas is None:
        datas = [_validated_rule_data(path) for path, _ in files]
    rules: dict[str, Rule] = {}
    for (path, domain), data in zip(files, datas):
        rule = _build_rule(data, path, domain)
        if rule.id in rules:
            raise UsageError(f"{path}: duplicate rule id {rule.id} (also in {rules[rule.id].source})")
        rules[rule.id] = rule
    if fresh and cache is not None:
        _write_cache(cache, datas)
    return rules


def _write_cache(cache: Path, datas: list[dict]) -> None:
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(datas), encoding="utf-8")
        os.replace(tmp, cache)
    except (OSError, TypeError, ValueError):
        pass  # a cache that cannot be written only costs start-up time


def available_policies() -> list[str]:
    return sorted(p.stem for p in builtin_dir("policies").glob("*.yaml"))


def load_policy(name_or_path: str) -> dict:
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") and candidate.is_file():
        path = candidate
    else:
        path = builtin_dir("policies") / f"{name_or_path}.yaml"
        if not path.is_file():
            raise UsageError(f"unknown policy {name_or_path!r}; available: {', '.join(available_policies())}")
    data = _load_yaml_file(path)
    validate(data, "policy.schema.json", path)
    data["__source__"] = str(path)
    return data


def _selected(rule: Rule, selector: dict) -> bool:
    if selector.get("all"):
        return True
    ok = True
    if "ids" in selector:
        ok = ok and rule.id in selector["ids"]
    if "domains" in selector:
        ok = ok and rule.domain in selector["domains"]
    if "frameworks" in selector:
        ok = ok and any(f in rule.frameworks for f in selector["frameworks"])
    if "pillars" in selector:
        ok = ok and rule.pillar in selector["pillars"]
    if "min_severity" in selector:
        ok = ok and SEVERITY_RANK[rule.severity] >= SEVERITY_RANK[selector["min_severity"]]
    return ok


def apply_policy(rules: dict[str, Rule], policy: dict) -> dict[str, Rule]:
    """Select and tune rules; unknown ids in a pack are a usage error."""
    source = policy["__source__"]
    named = set()
    for section in ("severity", "parameters"):
        named.update(policy.get(section, {}))
    for selector in policy.get("select", []) + policy.get("exclude", []):
        named.update(selector.get("ids", []))
    unknown = sorted(i for i in named if i not in rules)
    if unknown:
        raise UsageError(f"{source}: unknown rule id(s): {', '.join(unknown)}")
    allowed_status = {"stable", "preview"} if policy.get("include_preview") else {"stable"}
    out: dict[str, Rule] = {}
    for rule_id in sorted(rules):
        rule = rules[rule_id]
        explicitly = any(rule_id in s.get("ids", []) for s in policy["select"])
        if rule.status not in allowed_status and not (explicitly and rule.status == "preview"):
            continue
        if not any(_selected(rule, s) for s in policy["select"]):
            continue
        if any(_selected(rule, s) for s in policy.get("exclude", [])):
            continue
        tuned = Rule(**{**rule.__dict__})
        if rule_id in policy.get("severity", {}):
            tuned.severity = policy["severity"][rule_id]
        if rule_id in policy.get("parameters", {}):
            tuned.parameters = {**rule.parameters, **policy["parameters"][rule_id]}
        out[rule_id] = tuned
    return out

