"""Path-level differ shared by every drift source.

``diff(desired, live, spec)`` walks both values and returns ``Change``s:

* dicts by key; a key only in live is ``added_in_live`` (unless ``subset``:
  Terraform templates leave computed attributes out, so only what the
  template sets is compared), a key only in the template ``removed_in_live``;
* lists named by ``spec.keyed`` (list-maps: containers by ``name``) by merge
  key, lists named by ``spec.multiset`` (RBAC subjects, security-group rules)
  as multisets, other lists by index;
* ``None``, ``{}``, ``[]`` and absent are equal (emptiness that means
  something is the normalizer's business); ``Unknown`` on the template side
  is never drift; ``spec.equal`` may declare two scalars equal (quantities).

Paths are tuples: str keys, int indices and ``Selector`` parts for keyed
elements; every change also carries an RFC 6901 pointer into the live value
so remediation can emit a JSON patch.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scanner.drift.model import ADDED_IN_LIVE
from scanner.drift.model import CHANGED
from scanner.drift.model import REMOVED_IN_LIVE
from scanner.drift.model import Change
from scanner.model import Selector
from scanner.model import Unknown

def _never(path: tuple) -> None:
    return None


def _no(path: tuple) -> bool:
    return False


@dataclass(frozen=True)
class DiffSpec:
    # schema path of a list -> the merge-key fields of its elements (list-maps:
    # containers by ("name",), ports by ("containerPort", "protocol")), or None
    keyed: Callable[[tuple], tuple[str, ...] | None] = _never
    # path -> compare the list as a multiset
    multiset: Callable[[tuple], bool] = _no
    # (path, desired, live) -> True/False to decide, None to fall back to ==
    equal: Callable[[tuple, Any, Any], bool | None] = lambda path, d, l: None
    subset: bool = False  # compare only what the template sets


def empty(value: Any) -> bool:
    """None, "", [] and {}, and a map whose values are all empty (``{creationTimestamp: null}``)."""
    if isinstance(value, dict):
        return all(empty(v) for v in value.values())
    return value is None or value == [] or value == ""


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))


def schema_path(path: tuple) -> tuple:
    """``path`` with list positions dropped: what ``keyed``/``multiset``/``equal`` see."""
    return tuple(p for p in path if isinstance(p, str) and not isinstance(p, Selector))


def pointer_escape(part: Any) -> str:
    """One RFC 6901 reference token."""
    return str(part).replace("~", "~0").replace("/", "~1")


def diff(desired: Any, live: Any, spec: DiffSpec = DiffSpec()) -> list[Change]:
    out: list[Change] = []
    _diff(desired, live, (), "", spec, out)
    return out


def _diff(desired: Any, live: Any, path: tuple, pointer: str, spec: DiffSpec, out: list[Change]) -> None:
    if isinstance(desired, Unknown) or isinstance(live, Unknown):
        return
    if isinstance(desired, dict) and isinstance(live, dict):
        for key in sorted(set(desired) | set(live), key=str):
            d, l = desired.get(key), live.get(key)
            sub, ptr = path + (key,), f"{pointer}/{pointer_escape(key)}"
            if key not in desired or (empty(d) and not empty(l) and not isinstance(l, (dict, list))):
                if not spec.subset and not empty(l):
                    out.append(Change(ADDED_IN_LIVE, sub, None, l, ptr))
                continue
            _diff(d, l, sub, ptr, spec, out)
        return
    if isinstance(desired, list) and isinstance(live, list):
        spath = schema_path(path)
        if spec.multiset(spath):
            _multiset(desired, live, path, pointer, spec, out)
            return
        fields = spec.keyed(spath)
        if fields and all(isinstance(i, dict) for i in desired + live):
            _keyed(desired, live, fields, path, pointer, spec, out)
            return
        for i in range(max(len(desired), len(live))):
            if i >= len(live):
                if not empty(desired[i]):
                    out.append(Change(REMOVED_IN_LIVE, path + (i,), desired[i], None, ""))
            elif i >= len(desired):
                if not empty(live[i]):
                    out.append(Change(ADDED_IN_LIVE, path + (i,), None, live[i], f"{pointer}/{i}"))
            else:
                _diff(desired[i], live[i], path + (i,), f"{pointer}/{i}", spec, out)
        return
    if empty(desired) and empty(live):
        return
    if empty(live):
        out.append(Change(REMOVED_IN_LIVE, path, desired, None, ""))
        return
    if empty(desired):
        if not spec.subset:
            out.append(Change(ADDED_IN_LIVE, path, None, live, pointer))
        return
    verdict = spec.equal(schema_path(path), desired, live)
    if verdict is None:
        verdict = desired == live and type(desired) is type(live) or (_number(desired) and _number(live) and desired == live)
    if not verdict:
        out.append(Change(CHANGED, path, desired, live, pointer))


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _keyed(desired: list, live: list, fields: tuple[str, ...], path: tuple, pointer: str, spec: DiffSpec, out: list[Change]) -> None:
    def keyfunc(item: dict) -> tuple:
        # canonical text keeps odd merge keys (a list where a name belongs) hashable
        return tuple((f, v if isinstance(v, (str, int, float, bool)) or v is None else canonical(v)) for f, v in ((f, item.get(f)) for f in fields))

    live_at: dict[Any, int] = {}
    for i, item in enumerate(live):
        key = keyfunc(item)
        if key in live_at:  # a second entry with the same key (the API keeps both; for env the last wins)
            out.append(Change(ADDED_IN_LIVE, path + (Selector(_selector(key)),), None, item, f"{pointer}/{i}"))
            continue
        live_at[key] = i
    seen = set()
    for item in desired:
        key = keyfunc(item)
        seen.add(key)
        sel = Selector(_selector(key))
        if key not in live_at:
            out.append(Change(REMOVED_IN_LIVE, path + (sel,), item, None, ""))
            continue
        i = live_at[key]
        _diff(item, live[i], path + (sel,), f"{pointer}/{i}", spec, out)
    for i, item in enumerate(live):
        key = keyfunc(item)
        if key not in seen:
            seen.add(key)
            out.append(Change(ADDED_IN_LIVE, path + (Selector(_selector(key)),), None, item, f"{pointer}/{i}"))


def _selector(key: tuple) -> str:
    return ",".join(f"{k}={v}" for k, v in key if v is not None)


def _project(item: Any, keys: set | None) -> Any:
    """A set element restricted to what the template sets, plus anything live
    turned on that the template left at its zero value (``self = true``, an
    added ``security_groups`` entry): provider defaults are empty or false."""
    if keys is None or not isinstance(item, dict):
        return item
    pruned = {k: _prune(v) for k, v in item.items() if k in keys or (v is not False and v != 0)}
    return {k: v for k, v in pruned.items() if not empty(v)}


def _prune(value: Any) -> Any:
    """Nested blocks of a set element without the zero values a provider fills
    in for what the template left out (``kms_master_key_id = ""``, ``filter {}``)."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if not empty(v) and v is not False}
    if isinstance(value, list):
        pruned = [_prune(v) for v in value]
        return [v for v in pruned if not empty(v)]
    return value


def _multiset(desired: list, live: list, path: tuple, pointer: str, spec: DiffSpec, out: list[Change]) -> None:
    keys = None
    if spec.subset and desired and all(isinstance(d, dict) for d in desired):
        keys = {k for d in desired for k, v in d.items() if not isinstance(v, Unknown)}
    if any(isinstance(d, Unknown) or (isinstance(d, dict) and any(isinstance(v, Unknown) for v in d.values())) for d in desired):
        return  # an element the template computes: cannot be compared
    want = Counter(canonical(_project(d, keys)) for d in desired)
    have = Counter(canonical(_project(item, keys)) for item in live)
    for i, item in enumerate(live):
        text = canonical(_project(item, keys))
        if have[text] > want.get(text, 0):
            have[text] -= 1
            out.append(Change(ADDED_IN_LIVE, path, None, item, f"{pointer}/{i}"))
    have = Counter(canonical(_project(item, keys)) for item in live)
    for item in desired:
        text = canonical(_project(item, keys))
        if want[text] > have.get(text, 0):
            want[text] -= 1
            out.append(Change(REMOVED_IN_LIVE, path, item, None, ""))
