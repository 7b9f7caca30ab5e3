"""The two error types of zerodrift.

``UsageError`` is the one exception the API raises for a user mistake (bad
flag value, bad configuration, bad rule file, unknown policy).  The CLI maps
it to exit code 2 in one place (``scanner.cli``).  ``ParseError`` never leaves
a parser: it becomes a diagnostic on the scan result.
"""
from __future__ import annotations


class UsageError(Exception):
    """A user error: printed as one line, exit code 2."""


class ParseError(Exception):
    """A file could not be parsed; carries the 1-based line when known."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
