"""Read the boto3 ECRPublic reference (reStructuredText with Sphinx directives).

The document is cut into method blocks (``.. py:method::`` under ``ECRPublic.Client``) and
paginator classes (``.. py:class:: ECRPublic.Paginator.X``). A method is an API operation when
its block links to ``WebAPI/ecr-public-2020-10-30/<Operation>``; the client helpers
(``can_paginate``, ``get_waiter``...) have no such link and are skipped. Every expectation the
reader has of the text is explicit, and an unmet one raises :class:`DocumentError` with the
line number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DocumentError
from .syntax import TypeNode, parse_request, parse_response

_METHOD = re.compile(r"^  \.\. py:method:: (\w+)\(")
_PAGINATOR = re.compile(r"^\.\. py:class:: ECRPublic\.Paginator\.(\w+)\s*$")
_API_LINK = re.compile(r"WebAPI/ecr-public-(\d{4}-\d{2}-\d{2})/(\w+)>")
_EXCEPTION = re.compile(r"^\s*\*\s+:py:class:`ECRPublic\.Client\.exceptions\.(\w+)`")
_BULLET = re.compile(r"^(\s*)- (?:\*\*(\w+)\*\* )?\*\((\w+)\) --\*")
_PARAM = re.compile(r"^(\s*):param (\w+):(.*)$")
_HELPERS = {"can_paginate", "generate_presigned_url", "get_paginator", "get_waiter"}
Lines = list[tuple[int, str]]


@dataclass
class DocOperation:
    """What the document says about one operation."""

    name: str
    python_name: str
    line: int
    api_version: str
    summary: str
    url: str
    request: TypeNode
    required: set[str]
    response: TypeNode
    errors: list[str]
    descriptions: dict[tuple[str, ...], str] = field(default_factory=dict)


@dataclass
class DocPaginator:
    """A ``ECRPublic.Paginator.X`` class: its paginate() request and response syntax."""

    name: str
    line: int
    request: TypeNode
    response: TypeNode


@dataclass
class DocService:
    """Everything read from the document."""

    operations: dict[str, DocOperation]
    paginators: dict[str, DocPaginator]
    helpers: list[str]


def _classes(lines: Lines) -> dict[str, Lines]:
    """Cut the document at column-0 ``.. py:class::`` directives; other column-0 text ends one."""
    out: dict[str, Lines] = {}
    current: Lines | None = None
    for lineno, text in lines:
        if text.startswith(".. py:class:: "):
            current = [(lineno, text)]
            out[text.split()[2]] = current
        elif text[:1] not in ("", " "):
            current = None
        elif current is not None:
            current.append((lineno, text))
    return out


def _methods(client: Lines) -> list[tuple[str, Lines]]:
    """Cut the client class into its ``.. py:method::`` blocks."""
    out: list[tuple[str, Lines]] = []
    for lineno, text in client:
        m = _METHOD.match(text)
        if m:
            out.append((m.group(1), [(lineno, text)]))
        elif out:
            out[-1][1].append((lineno, text))
    return out


def _find(block: Lines, needle: str, what: str, start: int = 0) -> int:
    for i in range(start, len(block)):
        if needle in block[i][1]:
            return i
    last = block[-1][0] if block else 0
    raise DocumentError(last, f"{what} in the block starting at line {block[0][0]}")


def _literal_block(block: Lines, heading: str, what: str) -> tuple[Lines, int]:
    """Return the indented ``::`` block that follows ``heading``, and the index after it."""
    i = _find(block, heading, what)
    j = _find(block, "::", f"'::' opening the {what}", i + 1)
    body: Lines = []
    indent = None
    k = j + 1
    while k < len(block):
        lineno, text = block[k]
        if text.strip():
            ind = len(text) - len(text.lstrip())
            if indent is None:
                indent = ind
            elif ind < indent:
                break
            body.append((lineno, text))
        k += 1
    if not body:
        raise DocumentError(block[j][0], f"the body of the {what}")
    return body, k


def _summary(block: Lines) -> str:
    para: list[str] = []
    for _, text in block[1:]:
        s = text.strip()
        if not s:
            if para:
                break
            continue
        if s.startswith(("See also", "**", ".. ", ":")):
            break
        para.append(s)
    return " ".join(para)


def _descriptions(region: Lines) -> dict[tuple[str, ...], str]:
    """Map member paths to their first description paragraph, following bullet indentation."""
    out: dict[tuple[str, ...], str] = {}
    stack: list[tuple[int, str | None]] = []
    current: tuple[str, ...] | None = None
    para: list[str] = []

    def flush() -> None:
        if current is not None and para and current not in out:
            out[current] = " ".join(para)

    for _, text in region:
        bullet = _BULLET.match(text) or _PARAM.match(text)
        if bullet:
            flush()
            indent, name = len(bullet.group(1)), bullet.group(2)
            while stack and stack[-1][0] >= indent:
                stack.pop()
            stack.append((indent, name))
            named = tuple(n for _, n in stack if n)
            current = named if name else None
            para = []
            continue
        s = text.strip()
        if s.startswith((":type", ":rtype", "**", ".. note", "::")):
            flush()
            current, para = (None if s.startswith((":type", ":rtype")) else current), []
            continue
        if s and current is not None and current not in out:
            para.append(s)
        elif not s and para:
            flush()
            para = []
    flush()
    return out


def _operation(name: str, block: Lines) -> DocOperation:
    link_i = _find(block, "WebAPI/ecr-public-", "the 'See also' AWS API Documentation link")
    link = _API_LINK.search(block[link_i][1])
    if not link:
        raise DocumentError(block[link_i][0], "a link of the form WebAPI/ecr-public-DATE/Operation")
    request_lines, after_request = _literal_block(block, "**Request Syntax**", "Request Syntax")
    response_lines, after_response = _literal_block(block, "**Response Syntax**", "Response Syntax")
    structure_i = _find(block, "**Response Structure**", "**Response Structure**", after_response)
    exc_i = _find(block, "**Exceptions**", "the **Exceptions** list", structure_i)
    required = set()
    for _, text in block[after_request:structure_i]:
        m = _PARAM.match(text)
        if m and "**[REQUIRED]**" in m.group(3):
            required.add(m.group(2))
    descriptions = _descriptions(block[after_request:structure_i])
    out_desc = _descriptions(block[structure_i:exc_i])
    descriptions.update({("<output>", *k): v for k, v in out_desc.items()})
    errors = [m.group(1) for _, t in block[exc_i:] if (m := _EXCEPTION.match(t))]
    if not errors:
        raise DocumentError(block[exc_i][0], "at least one exception after **Exceptions**")
    return DocOperation(
        name=link.group(2),
        python_name=name,
        line=block[0][0],
        api_version=link.group(1),
        summary=_summary(block),
        url=link.group(0)[:-1],
        request=parse_request(request_lines, f"client.{name}"),
        required=required,
        response=parse_response(response_lines),
        errors=errors,
        descriptions=descriptions,
    )


def _paginator(name: str, block: Lines) -> DocPaginator:
    request_lines, _ = _literal_block(block, "**Request Syntax**", "paginate() Request Syntax")
    response_lines, _ = _literal_block(block, "**Response Syntax**", "paginate() Response Syntax")
    request = parse_request(request_lines, "paginator.paginate")
    return DocPaginator(name, block[0][0], request, parse_response(response_lines))


def parse_document(text: str, source: str = "") -> DocService:
    """Parse the whole reference document; raise :class:`DocumentError` naming the line."""
    lines = list(enumerate(text.splitlines(), start=1))
    try:
        classes = _classes(lines)
        client = classes.get("ECRPublic.Client")
        if client is None:
            raise DocumentError(1, "a '.. py:class:: ECRPublic.Client' section")
        operations: dict[str, DocOperation] = {}
        helpers: list[str] = []
        for pyname, block in _methods(client):
            if pyname in _HELPERS:
                helpers.append(pyname)
                continue
            op = _operation(pyname, block)
            operations[op.name] = op
        if not operations:
            raise DocumentError(len(lines), "at least one '.. py:method::' operation")
        paginators = {
            m.group(1): _paginator(m.group(1), block)
            for name, block in classes.items()
            if (m := _PAGINATOR.match(block[0][1]))
        }
    except DocumentError as exc:
        raise exc.with_source(source) from None
    return DocService(operations, paginators, helpers)


def read_document(path: Path) -> DocService:
    """Read and parse the reference document at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(0, f"a readable UTF-8 document ({exc})", str(path)) from exc
    return parse_document(text, str(path))
