"""The error raised when the reference document is not what the derivation expects."""

from __future__ import annotations


class DocumentError(Exception):
    """The reference document is truncated or malformed at ``line``: ``expected`` was not found."""

    def __init__(self, line: int, expected: str, source: str = "") -> None:
        self.line = line
        self.expected = expected
        self.source = source
        super().__init__(self._text())

    def _text(self) -> str:
        where = f"{self.source}:{self.line}" if self.source else f"line {self.line}"
        return f"{where}: expected {self.expected}"

    def with_source(self, source: str) -> DocumentError:
        """Return the same error naming the document file."""
        return DocumentError(self.line, self.expected, source)
