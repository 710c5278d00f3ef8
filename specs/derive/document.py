"""Read the boto3 ECRPublic reference (reStructuredText with Sphinx directives).

Two layouts of boto3's documentation generator are read. The older one is a single page: the
client class ``.. py:class:: ECRPublic.Client`` holds indented ``.. py:method:: name(`` blocks,
followed by the paginator (and waiter) classes. The newer one is a folder: an index page
(``ecr-public.rst``, holding the client class and ``toctree`` lists) and one file per client
method (``.. py:method:: ECRPublic.Client.name(`` at the left margin), paginator
(``.. py:class:: ECRPublic.Paginator.X``) and waiter (``.. py:class:: ECRPublic.Waiter.X``).

A method is an API operation when its block has a Request Syntax or links to
``WebAPI/ecr-public-2020-10-30/<Operation>``; the client helpers (``can_paginate``,
``close``...) have neither and are skipped. Every expectation the reader has of the text is
explicit, and an unmet one raises :class:`DocumentError` with the file and line number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DocumentError
from .syntax import TypeNode, parse_request, parse_response

_METHOD = re.compile(r"^  \.\. py:method:: (\w+)\(")
_FILE_METHOD = re.compile(r"^\.\. py:method:: ECRPublic\.Client\.(\w+)\(")
_PAGINATOR = re.compile(r"^\.\. py:class:: ECRPublic\.Paginator\.(\w+)\s*$")
_WAITER = re.compile(r"^\.\. py:class:: ECRPublic\.Waiter\.(\w+)\s*$")
_POLLS = re.compile(
    r"Polls :py:meth:`ECRPublic\.Client\.(\w+)` every (\d+) seconds .*"
    r"An error is raised after (\d+) failed checks"
)
_CLIENT_CLASS = ".. py:class:: ECRPublic.Client"
_API_LINK = re.compile(r"WebAPI/ecr-public-(\d{4}-\d{2}-\d{2})/(\w+)>")
_EXCEPTION = re.compile(r"^\s*\*\s+:py:class:`ECRPublic\.Client\.exceptions\.(\w+)`")
_BULLET = re.compile(r"^(\s*)- (?:\*\*(\w+)\*\* )?\*\((\w+)\) --\*")
_PARAM = re.compile(r"^(\s*):param (\w+):(.*)$")
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
    #: The file of a folder document the operation is read from ("" for a single page).
    file: str = ""


@dataclass
class DocPaginator:
    """A ``ECRPublic.Paginator.X`` class: its paginate() request and response syntax."""

    name: str
    line: int
    request: TypeNode
    response: TypeNode
    file: str = ""


@dataclass
class DocWaiter:
    """A ``ECRPublic.Waiter.X`` class: the method it polls, how often, how many times."""

    name: str
    line: int
    method: str
    delay: int
    max_attempts: int
    request: TypeNode
    file: str = ""


@dataclass
class DocService:
    """Everything read from the document."""

    operations: dict[str, DocOperation]
    paginators: dict[str, DocPaginator]
    helpers: list[str]
    waiters: dict[str, DocWaiter] = field(default_factory=dict)


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


def _waiter(name: str, block: Lines) -> DocWaiter:
    i = _find(block, "Polls :py:meth:", "the 'Polls ... every N seconds' sentence")
    polls = _POLLS.search(block[i][1])
    if not polls:
        raise DocumentError(
            block[i][0], "'Polls <method> every N seconds ... after N failed checks'"
        )
    request_lines, _ = _literal_block(block, "**Request Syntax**", "wait() Request Syntax")
    return DocWaiter(
        name,
        block[0][0],
        polls.group(1),
        int(polls.group(2)),
        int(polls.group(3)),
        parse_request(request_lines, "waiter.wait"),
    )


def _is_helper(block: Lines) -> bool:
    """A client method with neither a Request Syntax nor an API link is an SDK helper."""
    return not any("**Request Syntax**" in t or "WebAPI/ecr-public-" in t for _, t in block)


@dataclass(frozen=True)
class _Block:
    """A method or class block, the path its errors name and its name inside a folder."""

    name: str
    lines: Lines
    source: str
    file: str = ""


def _service(methods: list[_Block], classes: list[_Block], last_line: int) -> DocService:
    operations: dict[str, DocOperation] = {}
    helpers: list[str] = []
    paginators: dict[str, DocPaginator] = {}
    waiters: dict[str, DocWaiter] = {}
    for b in methods:
        try:
            if _is_helper(b.lines):
                helpers.append(b.name)
                continue
            op = _operation(b.name, b.lines)
        except DocumentError as exc:
            raise exc.with_source(b.source) from None
        op.file = b.file
        operations[op.name] = op
    if not operations:
        raise DocumentError(last_line, "at least one '.. py:method::' operation")
    for b in classes:
        try:
            if m := _PAGINATOR.match(b.lines[0][1]):
                paginators[m.group(1)] = _paginator(m.group(1), b.lines)
                paginators[m.group(1)].file = b.file
            elif m := _WAITER.match(b.lines[0][1]):
                waiters[m.group(1)] = _waiter(m.group(1), b.lines)
                waiters[m.group(1)].file = b.file
        except DocumentError as exc:
            raise exc.with_source(b.source) from None
    return DocService(operations, paginators, helpers, waiters)


def _numbered(text: str) -> Lines:
    return list(enumerate(text.splitlines(), start=1))


def parse_document(text: str, source: str = "") -> DocService:
    """Parse a single-page reference document; raise :class:`DocumentError` naming the line."""
    lines = _numbered(text)
    try:
        classes = _classes(lines)
        client = classes.get("ECRPublic.Client")
        if client is None:
            raise DocumentError(1, f"a '{_CLIENT_CLASS}' section")
        methods = [_Block(name, block, source) for name, block in _methods(client)]
        blocks = [_Block(name, block, source) for name, block in classes.items()]
        return _service(methods, blocks, len(lines))
    except DocumentError as exc:
        raise exc.with_source(source) from None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(0, f"a readable UTF-8 document ({exc})", str(path)) from exc


def index_file(folder: Path) -> Path:
    """The index page of a folder document: the one ``.rst`` file at its top."""
    found = sorted(folder.glob("*.rst"))
    if len(found) != 1:
        names = ", ".join(p.name for p in found) or "none"
        raise DocumentError(0, f"one index page (*.rst) at the top, found {names}", str(folder))
    return found[0]


def toctree_entries(lines: Lines) -> list[tuple[int, str]]:
    """The documents the ``.. toctree::`` lists of a page name, with their lines, in order."""
    out: list[tuple[int, str]] = []
    inside = False
    for lineno, text in lines:
        if text.startswith(".. toctree::"):
            inside = True
        elif inside and text[:1] not in ("", " "):
            inside = False
        elif inside and text.strip() and not text.strip().startswith(":"):
            out.append((lineno, text.strip()))
    return out


def document_files(folder: Path) -> list[Path]:
    """The files of a folder document in reading order: the index, then what it lists."""
    index = index_file(folder)
    files = [index]
    for lineno, entry in toctree_entries(_numbered(_read(index))):
        path = folder / f"{entry}.rst"
        if not path.is_file():
            raise DocumentError(lineno, f"the file {entry}.rst the index lists", str(index))
        files.append(path)
    return files


def _file_blocks(path: Path, file: str) -> tuple[list[_Block], list[_Block]]:
    """The client method (at most one) and the classes of one file of a folder document."""
    lines = _numbered(_read(path))
    source = str(path)
    starts = [(i, m.group(1)) for i, (_, t) in enumerate(lines) if (m := _FILE_METHOD.match(t))]
    if len(starts) > 1:
        raise DocumentError(lines[starts[1][0]][0], "one client method per file", source)
    methods = [_Block(name, lines[i:], source, file) for i, name in starts]
    classes = [_Block(name, block, source, file) for name, block in _classes(lines).items()]
    return methods, classes


def parse_folder(folder: Path) -> DocService:
    """Parse a folder document (boto3's per-method layout); errors name the file and line."""
    files = document_files(folder)
    index_lines = _numbered(_read(files[0]))
    if not any(text.startswith(_CLIENT_CLASS) for _, text in index_lines):
        raise DocumentError(1, f"a '{_CLIENT_CLASS}' section", str(files[0]))
    methods: list[_Block] = []
    classes: list[_Block] = []
    for path in files[1:]:
        found = _file_blocks(path, path.relative_to(folder).as_posix())
        methods += found[0]
        classes += found[1]
    try:
        return _service(methods, classes, len(index_lines))
    except DocumentError as exc:
        raise exc if exc.source else exc.with_source(str(files[0])) from None


def read_document(path: Path) -> DocService:
    """Read and parse the reference document at ``path``: one page, or a folder of pages."""
    if path.is_dir():
        return parse_folder(path)
    return parse_document(_read(path), str(path))
