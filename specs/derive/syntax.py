"""Parse the Request/Response Syntax blocks of the boto3 reference into type trees.

The blocks are Python-looking literals in which values stand for types: ``'string'``, ``123``
(integer), ``123.0`` (float), ``True|False``, ``b'bytes'``, ``datetime(2015, 1, 1)``, enums as
``'A'|'B'``, dicts for structures and one-element lists for lists. A small tokenizer and
recursive-descent parser turn them into :class:`TypeNode` trees; every failure names the line of
the document and what was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import DocumentError


@dataclass
class TypeNode:
    """A type read from a syntax block (kind, members or item, enum values, source line)."""

    kind: str
    line: int
    members: dict[str, TypeNode] = field(default_factory=dict)
    item: TypeNode | None = None
    enum: tuple[str, ...] | None = None


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<bytes>b'[^']*')
      | (?P<str>'[^']*')
      | (?P<num>\d+(?:\.\d+)?)
      | (?P<name>[A-Za-z_][A-Za-z0-9_.]*)
      | (?P<punct>[{}\[\](),:=|])
    )""",
    re.VERBOSE,
)


@dataclass
class _Tok:
    kind: str
    text: str
    line: int


def tokenize(lines: list[tuple[int, str]]) -> list[_Tok]:
    """Split numbered source lines into tokens; unknown characters are a DocumentError."""
    toks: list[_Tok] = []
    for lineno, text in lines:
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise DocumentError(lineno, f"a syntax-block token, found {text[pos:].strip()!r}")
            kind = m.lastgroup or ""
            toks.append(_Tok(kind, m.group(kind), lineno))
            pos = m.end()
    return toks


class _Parser:
    def __init__(self, toks: list[_Tok], last_line: int) -> None:
        self.toks = toks
        self.i = 0
        self.last_line = last_line

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, expected: str) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise DocumentError(self.last_line, f"{expected}, found the end of the block")
        if expected not in (tok.kind, tok.text):
            raise DocumentError(tok.line, f"{expected}, found {tok.text!r}")
        self.i += 1
        return tok

    def accept(self, text: str) -> bool:
        tok = self.peek()
        if tok is not None and tok.text == text:
            self.i += 1
            return True
        return False

    def value(self) -> TypeNode:
        tok = self.peek()
        if tok is None:
            raise DocumentError(self.last_line, "a value, found the end of the block")
        if tok.text == "{":
            return self.structure()
        if tok.text == "[":
            return self.list_()
        self.i += 1
        if tok.kind == "bytes":
            return TypeNode("blob", tok.line)
        if tok.kind == "num":
            return TypeNode("float" if "." in tok.text else "integer", tok.line)
        if tok.kind == "str":
            return self.string(tok)
        if tok.text == "True":
            self.take("|")
            self.take("False")
            return TypeNode("boolean", tok.line)
        if tok.text == "datetime":
            self.take("(")
            while not self.accept(")"):
                self.take("num")
                self.accept(",")
            return TypeNode("timestamp", tok.line)
        raise DocumentError(
            tok.line, f"a value ('string', 123, {{...}}, [...]), found {tok.text!r}"
        )

    def string(self, tok: _Tok) -> TypeNode:
        values = [tok.text[1:-1]]
        while self.accept("|"):
            values.append(self.take("str").text[1:-1])
        if len(values) == 1 and values[0] == "string":
            return TypeNode("string", tok.line)
        return TypeNode("string", tok.line, enum=tuple(values))

    def structure(self) -> TypeNode:
        start = self.take("{")
        node = TypeNode("structure", start.line)
        while not self.accept("}"):
            key = self.take("str")
            self.take(":")
            node.members[key.text[1:-1]] = self.value()
            if not self.accept(","):
                self.take("}")
                break
        return node

    def list_(self) -> TypeNode:
        start = self.take("[")
        item = self.value()
        self.accept(",")
        self.take("]")
        return TypeNode("list", start.line, item=item)

    def call(self, callee: str) -> TypeNode:
        """``response = client.method(name=value, ...)`` (or ``waiter.wait(...)``, with no
        assignment) -> a structure of the keyword args."""
        name = self.take("name")
        if self.accept("="):
            name = self.take("name")
        if name.text != callee:
            raise DocumentError(name.line, f"a call of {callee}(...), found {name.text!r}")
        start = self.take("(")
        node = TypeNode("structure", start.line)
        while not self.accept(")"):
            key = self.take("name")
            self.take("=")
            node.members[key.text] = self.value()
            if not self.accept(","):
                self.take(")")
                break
        return node

    def done(self) -> None:
        tok = self.peek()
        if tok is not None:
            raise DocumentError(tok.line, f"the end of the syntax block, found {tok.text!r}")


def parse_request(lines: list[tuple[int, str]], callee: str) -> TypeNode:
    """Parse a Request Syntax block (a call of ``callee``) into a structure node."""
    p = _Parser(tokenize(lines), lines[-1][0] if lines else 0)
    node = p.call(callee)
    p.done()
    return node


def parse_response(lines: list[tuple[int, str]]) -> TypeNode:
    """Parse a Response Syntax block (a dict literal) into a structure node."""
    p = _Parser(tokenize(lines), lines[-1][0] if lines else 0)
    node = p.structure()
    p.done()
    return node
