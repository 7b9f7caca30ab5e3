"""Rule documentation is generated from the rule files and must not go stale."""
from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _gen_docs():
    spec = importlib.util.spec_from_file_location("gen_docs", REPO / "scripts" / "gen_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_rules_are_up_to_date() -> None:
    gen = _gen_docs()
    pages = gen.expected_pages()
    current = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "docs" / "rules").glob("*.md")}
    stale = sorted(n for n in set(pages) | set(current) if pages.get(n) != current.get(n))
    assert stale == [], "run: python scripts/gen_docs.py"


def test_every_rule_page_has_ruff_sections() -> None:
    for name, text in _gen_docs().expected_pages().items():
        if name == "README.md":
            continue
        for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## How to fix", "## References"):
            assert heading in text, (name, heading)
