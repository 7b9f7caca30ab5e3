"""Kubernetes manifests (multi-document YAML or JSON, ``kind: List``) → resources.

Every object with ``apiVersion`` and ``kind`` becomes a resource named
``Kind/namespace/name`` (``Kind/name`` when no namespace is set).  Workloads
get anchors so rules can say ``$pod`` / ``$containers`` without knowing where
a Deployment, a CronJob or a bare Pod keeps its pod spec.
"""
from __future__ import annotations

from typing import Any

from scanner.model import Resource
from scanner.parsers.safe_yaml import Document
from scanner.parsers.safe_yaml import load_documents
from scanner.parsers.safe_yaml import load_json

FORMAT = "kubernetes"

POD_SPEC_PATHS: dict[str, tuple] = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "PodTemplate": ("template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")


def sniff(text: str) -> bool:
    return "apiVersion" in text and "kind" in text


def parse(text: str, file: str) -> list[Resource]:
    docs = [load_json(text)] if file.endswith(".json") else load_documents(text)
    out: list[Resource] = []
    for doc in docs:
        for obj, base in _objects(doc.value, ()):
            out.append(_resource(obj, base, doc, file))
    return out


def _objects(value: Any, base: tuple):
    if not isinstance(value, dict) or "kind" not in value or "apiVersion" not in value:
        return
    if str(value["kind"]).endswith("List") and isinstance(value.get("items"), list):
        for i, item in enumerate(value["items"]):
            yield from _objects(item, base + ("items", i))
        return
    yield value, base


def anchors_for(kind: str) -> dict[str, list[tuple]]:
    """``$pod`` / ``$containers`` anchors of an object of ``kind`` (none for non-workloads)."""
    pod = POD_SPEC_PATHS.get(kind)
    if pod is None:
        return {}
    return {"pod": [pod], "containers": [pod + (lst,) for lst in CONTAINER_LISTS]}


def _resource(obj: dict, base: tuple, doc: Document, file: str) -> Resource:
    kind = str(obj.get("kind"))
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    name = str(meta.get("name", meta.get("generateName", "")))
    namespace = meta.get("namespace")
    address = f"{kind}/{namespace}/{name}" if namespace else f"{kind}/{name}"
    anchors = anchors_for(kind)
    lines_under = [ln for p, ln in doc.lines.items() if p[: len(base)] == base] if base else [doc.end_line]
    start = doc.lines.get(base, doc.start_line)
    return Resource(
        format=FORMAT,
        schema="kubernetes",
        type=kind,
        name=address,
        file=file,
        start_line=start,
        end_line=max(lines_under + [start]),
        attributes=obj,
        lines=doc.lines,
        base=base,
        anchors=anchors,
        group=f"namespace:{namespace or 'default'}",
    )
