"""Dockerfile / Containerfile → one resource per file.

Instructions are split with line continuations (and the ``# escape=``
directive) and heredocs honoured; each instruction records the line it starts
on.  The parser derives the facts rules ask about, so rules need no Docker
syntax knowledge: for FROM the image name, tag, digest and whether it names an
earlier stage; for ENV/ARG/LABEL the key/value pairs; for ADD/COPY the sources
and flags; and a ``final`` view of the last stage (its base, effective USER,
whether it has a HEALTHCHECK).
"""
from __future__ import annotations

import re
import shlex
from typing import Any

from scanner.errors import ParseError
from scanner.model import Resource

FORMAT = "dockerfile"

_DIRECTIVE = re.compile(r"^#\s*(escape|syntax|check)\s*=\s*(\S+)\s*$", re.I)
_HEREDOC = re.compile(r"<<-?[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?")


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(start line, joined text) for every instruction."""
    escape = "\\"
    raw = text.splitlines()
    out: list[tuple[int, str]] = []
    i = 0
    in_header = True
    while i < len(raw):
        line = raw[i]
        stripped = line.strip()
        if in_header:
            m = _DIRECTIVE.match(stripped)
            if m:
                if m.group(1).lower() == "escape" and m.group(2) in ("\\", "`"):
                    escape = m.group(2)
                i += 1
                continue
            if stripped:
                in_header = False
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        start = i + 1
        parts = [line.rstrip()]
        while parts[-1].endswith(escape) and i + 1 < len(raw):
            parts[-1] = parts[-1][: -len(escape)]
            i += 1
            nxt = raw[i]
            if nxt.strip().startswith("#"):
                parts.append("")
                continue
            parts.append(nxt.rstrip())
        if parts[-1].endswith(escape):
            parts[-1] = parts[-1][: -len(escape)]
        joined = " ".join(p.strip() for p in parts if p.strip())
        heredocs = _HEREDOC.findall(joined) if "<<" in joined else []
        for marker in heredocs:  # RUN <<EOF ... EOF: swallow the body
            body: list[str] = []
            while i + 1 < len(raw):
                i += 1
                if raw[i].strip() == marker:
                    break
                body.append(raw[i])
            joined += "\n" + "\n".join(body)
        out.append((start, joined))
        i += 1
    return out


def _split_flags(args: str) -> tuple[dict[str, str], str]:
    """Leading ``--flag=value`` options; a repeated flag (``--mount`` twice) keeps
    every value, one per line."""
    flags: dict[str, str] = {}
    rest = args
    while rest.startswith("--"):
        token, _, rest = rest.partition(" ")
        key, _, value = token[2:].partition("=")
        key = key.lower()
        flags[key] = f"{flags[key]}\n{value}" if key in flags else value
        rest = rest.lstrip()
    return flags, rest


def _image(ref: str) -> dict[str, Any]:
    digest = None
    if "@" in ref:
        ref, digest = ref.split("@", 1)
    name, tag = ref, None
    last = ref.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = ref.rsplit(":", 1)
    return {"ref": ref if digest is None else f"{ref}@{digest}", "name": name, "tag": tag, "digest": digest}


def _key_values(cmd: str, args: str) -> dict[str, str]:
    try:
        tokens = shlex.split(args, posix=True)
    except ValueError:
        tokens = args.split()
    pairs: dict[str, str] = {}
    if cmd == "ENV" and tokens and "=" not in tokens[0]:  # legacy "ENV KEY value"
        return {tokens[0]: " ".join(tokens[1:])}
    for token in tokens:
        key, sep, value = token.partition("=")
        pairs[key] = value if sep else ""
    return pairs


def _chain(instructions: list[dict], stage: int, stages: list[dict]) -> set[int]:
    """``stage`` and the earlier stages it is built FROM, transitively."""
    chain: set[int] = set()
    while stage >= 0 and stage not in chain:
        chain.add(stage)
        base = next((i for i in instructions if i["cmd"] == "FROM" and i["stage"] == stage), None)
        if base is None or not base["image"]["is_stage"]:
            break
        ref = base["image"]["ref"].lower()
        stage = next((s["index"] for s in stages if s["alias"] == ref), -1)
    return chain


def _effective(instructions: list[dict], stage: int, stages: list[dict]) -> tuple[dict | None, bool]:
    """The USER instruction in force and whether a HEALTHCHECK is set at the end of
    ``stage``, following ``FROM <earlier stage>`` chains (a stage inherits both)."""
    seen: set[int] = set()
    user: dict | None = None
    health: bool | None = None
    while stage >= 0 and stage not in seen:
        seen.add(stage)
        own = [i for i in instructions if i["stage"] == stage]
        if user is None:
            user = next((i for i in reversed(own) if i["cmd"] == "USER"), None)
        if health is None and any(i["cmd"] == "HEALTHCHECK" for i in own):
            health = True
        base = next((i for i in own if i["cmd"] == "FROM"), None)
        if base is None or not base["image"]["is_stage"]:
            break
        ref = base["image"]["ref"].lower()
        stage = next((s["index"] for s in stages if s["alias"] == ref), -1)
    return user, bool(health)


def parse(text: str, file: str) -> list[Resource]:
    if "\x00" in text:
        raise ParseError("binary content in Dockerfile", None)
    lines: dict[tuple, int] = {}
    instructions: list[dict[str, Any]] = []
    stages: list[dict[str, Any]] = []
    for line, joined in _logical_lines(text):
        cmd, _, args = joined.partition(" ")
        cmd = cmd.upper()
        if not re.fullmatch(r"[A-Z]+", cmd):
            raise ParseError(f"not a Dockerfile instruction: {cmd[:20]!r}", line)
        args = args.strip()
        flags, rest = _split_flags(args) if cmd in ("FROM", "ADD", "COPY", "RUN") else ({}, args)
        inst: dict[str, Any] = {"cmd": cmd, "value": args, "flags": flags, "stage": len(stages) - 1}
        if cmd == "FROM":
            words = rest.split()
            image = _image(words[0]) if words else _image("")
            # stage names are case-insensitive (BuildKit lower-cases them)
            alias = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else None
            known = {s["alias"] for s in stages if s["alias"]}
            image["is_stage"] = image["ref"].lower() in known
            image["is_scratch"] = image["name"] == "scratch"
            image["is_variable"] = "$" in image["ref"]
            inst.update(image=image, alias=alias, stage=len(stages))
            stages.append({"alias": alias, "index": len(stages)})
        elif cmd in ("ENV", "ARG", "LABEL"):
            inst["pairs"] = _key_values(cmd, rest)
        elif cmd in ("ADD", "COPY"):
            try:
                words = shlex.split(rest)
            except ValueError:
                words = rest.split()
            if rest.startswith("["):
                words = [w.strip('[]",') for w in rest.split(",")]
            inst["sources"] = words[:-1]
        elif cmd == "USER":
            inst["user"] = rest.split(":")[0].strip()
        idx = len(instructions)
        lines[("instructions", idx)] = line
        for key in inst.get("pairs", {}):
            lines[("instructions", idx, "pairs", key)] = line
        instructions.append(inst)
    if not instructions:
        return []  # an empty Dockerfile has nothing to check
    final_index = len(stages) - 1
    shipped = _chain(instructions, final_index, stages)
    for inst in instructions:
        # only the final stage's layers (and those of stages it is built FROM) ship
        inst["in_final"] = inst["stage"] in shipped
    user_inst, health = _effective(instructions, final_index, stages)
    final_from = next((i for i in instructions if i["cmd"] == "FROM" and i["stage"] == final_index), None)
    final = {
        "image": final_from["image"] if final_from else None,
        "user": user_inst["user"] if user_inst else None,
        "has_healthcheck": health,
    }
    from_line = lines[("instructions", instructions.index(final_from))] if final_from else 1
    lines[("final",)] = from_line
    lines[("final", "image")] = from_line
    lines[("final", "user")] = lines[("instructions", instructions.index(user_inst))] if user_inst else from_line
    attributes = {"instructions": instructions, "final": final}
    last_line = max(lines.values())
    return [Resource(FORMAT, "dockerfile", "dockerfile", file, file, 1, last_line, attributes, lines, (), {}, file)]
