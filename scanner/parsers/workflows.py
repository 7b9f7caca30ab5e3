"""GitHub Actions workflows (``.github/workflows/*.yml``) → one resource per workflow.

YAML 1.1 reads the key ``on`` as the boolean ``True``; the parser renames it
back and normalizes its three spellings (``push``, ``[push, pull_request]``,
a mapping) into a mapping of event → configuration (``{}`` when none is given).  Rules address jobs and
steps with wildcard paths such as ``jobs.*.steps[*].uses``.
"""
from __future__ import annotations

from scanner.errors import ParseError
from scanner.model import Resource
from scanner.parsers.safe_yaml import load_documents

FORMAT = "workflow"


def parse(text: str, file: str) -> list[Resource]:
    docs = load_documents(text)
    if not docs or docs[0].value is None:
        return []
    doc = docs[0]
    wf = doc.value
    if not isinstance(wf, dict):
        raise ParseError("workflow is not a mapping", doc.start_line)
    if True in wf:
        wf["on"] = wf.pop(True)
        for path in [p for p in doc.lines if p and p[0] is True]:
            doc.lines[("on",) + path[1:]] = doc.lines.pop(path)
    on = wf.get("on")
    on_line = doc.lines.get(("on",), 1)
    if isinstance(on, str):
        wf["on"] = {on: {}}
        doc.lines[("on", on)] = on_line
    elif isinstance(on, list):
        wf["on"] = {str(e): {} for e in on}
        for i, e in enumerate(on):
            doc.lines[("on", str(e))] = doc.lines.get(("on", i), on_line)
    elif isinstance(on, dict):
        wf["on"] = {k: ({} if v is None else v) for k, v in on.items()}
    else:
        wf["on"] = {}
    return [Resource(FORMAT, "github-actions", "github_workflow", file, file, 1, doc.end_line, wf, doc.lines, (), {}, file)]
