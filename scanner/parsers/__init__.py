"""The explicit registry of parsers: format name → module.

Each module has ``FORMAT`` and ``parse(text, file) -> list[Resource]``
(raising ``ParseError`` for bad input); it may have ``sniff(text) -> bool``
for content detection and ``link(resources) -> resources`` for work that needs
every file of the format (Terraform's module-wide variables and locals).
"""
from __future__ import annotations

from types import ModuleType

from scanner.parsers import cloudformation
from scanner.parsers import compose
from scanner.parsers import dockerfile
from scanner.parsers import kubernetes
from scanner.parsers import terraform
from scanner.parsers import tfplan
from scanner.parsers import workflows

PARSERS: dict[str, ModuleType] = {
    "terraform": terraform,
    "tfplan": tfplan,
    "cloudformation": cloudformation,
    "kubernetes": kubernetes,
    "dockerfile": dockerfile,
    "compose": compose,
    "workflow": workflows,
}

# content sniffing order for .yaml/.yml/.json files not recognised by name
SNIFFED = ("tfplan", "cloudformation", "kubernetes")
