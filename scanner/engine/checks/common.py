"""What every Python check shares: the context type and small helpers."""
from __future__ import annotations

import json
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from scanner.model import Resource

Hit = tuple[tuple, "str | None"]


@dataclass
class Context:
    by_group: dict[str, list[Resource]]

    def siblings(self, resource: Resource, rtype: str) -> list[Resource]:
        return [r for r in self.by_group.get(resource.group, []) if r.type == rtype]


def as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def policy_document(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def statements(doc: Any) -> Iterator[tuple[int, dict]]:
    if not isinstance(doc, dict):
        return
    for i, stmt in enumerate(as_list(doc.get("Statement"))):
        if isinstance(stmt, dict):
            yield i, stmt



CheckFn = Callable[[Resource, Context, dict], Iterator[Hit]]
