"""docker-compose / compose files → one resource per service.

``environment`` given as a list (``- KEY=value``) is normalized to a mapping
so rules see one shape; ports, volumes and the rest are kept as written.
"""
from __future__ import annotations

from scanner.errors import ParseError
from scanner.model import Resource
from scanner.parsers.safe_yaml import load_documents

FORMAT = "compose"


def parse(text: str, file: str) -> list[Resource]:
    docs = load_documents(text)
    if not docs:
        return []
    doc = docs[0]
    if not isinstance(doc.value, dict):
        raise ParseError("compose file is not a mapping", doc.start_line)
    services = doc.value.get("services")
    if services is None and "version" not in doc.value:  # compose v1: services at top level
        services = {k: v for k, v in doc.value.items() if isinstance(v, dict) and ("image" in v or "build" in v)}
        prefix: tuple = ()
    else:
        prefix = ("services",)
    if not isinstance(services, dict):
        return []
    out: list[Resource] = []
    for name, svc in services.items():
        if not isinstance(svc, dict):
            continue
        base = prefix + (name,)
        env = svc.get("environment")
        if isinstance(env, list):
            mapped = {}
            for i, item in enumerate(env):
                key, _, value = str(item).partition("=")
                mapped[key] = value if "=" in str(item) else None
                doc.lines[base + ("environment", key)] = doc.lines.get(base + ("environment", i), doc.lines.get(base, 1))
            svc["environment"] = mapped
        ends = [ln for p, ln in doc.lines.items() if p[: len(base)] == base]
        start = doc.lines.get(base, 1)
        out.append(Resource(FORMAT, "compose", "compose_service", f"services.{name}", file, start, max(ends + [start]), svc, doc.lines, base, {}, file))
    return out
