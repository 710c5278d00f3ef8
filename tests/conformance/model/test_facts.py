"""The model's facts: every id a rule names is declared, every declaration is named, and every
quote is found in the sources of each edition that has the operation."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from ecr_public_conformance.conformance.checks import all_checks
from ecr_public_conformance.conformance.harness.runner import run_case
from ecr_public_conformance.conformance.model import load_facts, model_operations
from ecr_public_conformance.conformance.model.facts import FACTS, FactsError
from ecr_public_conformance.specs import load_service
from ecr_public_conformance.specs.citations import Citation
from ecr_public_conformance.specs.editions import edition as find_edition
from ecr_public_conformance.specs.editions import editions

from ..conftest import EnvFactory

MODEL = Path(__file__).resolve().parents[3] / "conformance" / "model"
#: Where each reporting helper takes its fact (positional index; ``fact=`` works too).
FACT_ARGUMENT = {
    "expect_ok": 1,
    "expect_error": 2,
    "expect_equal": 4,
    "mismatch": 3,
    "note_absent": 3,
    "ModelMismatch": 3,
}


def _named(node: ast.expr, where: str) -> set[str]:
    """The fact ids an argument names: a literal, either branch of a conditional, or the
    ``fact`` parameter a helper passes on."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _named(node.body, where) | _named(node.orelse, where)
    if isinstance(node, ast.Name) and node.id == "fact":
        return set()
    raise AssertionError(f"{where}: a fact is named by a literal id, not {ast.unparse(node)}")


def facts_named_by_the_code() -> set[str]:
    """Every fact id the model's modules pass to a reporting helper."""
    found: set[str] = set()
    for path in sorted(MODEL.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in FACT_ARGUMENT:
                continue
            where = f"{path.name}:{node.lineno}"
            given = [k.value for k in node.keywords if k.arg == "fact"]
            at = FACT_ARGUMENT[name]
            given += node.args[at : at + 1]
            assert given, f"{where}: {name} without a fact"
            found |= _named(given[0], where)
    return found


def test_every_fact_the_code_names_is_declared() -> None:
    named = facts_named_by_the_code()
    assert len(named) > 40
    assert sorted(named - set(load_facts())) == []


def test_every_declared_fact_is_named_by_the_code() -> None:
    assert sorted(set(load_facts()) - facts_named_by_the_code()) == []


def test_facts_are_about_modelled_operations_and_state_one_thing_each() -> None:
    facts = load_facts().values()
    assert {op for f in facts for op in f.operations} <= model_operations()
    texts = [f.text for f in facts]
    assert len(texts) == len(set(texts))


CASES = [
    (f.id, op, e.name)
    for f in load_facts().values()
    for op in f.operations
    for e in editions()
    if op in load_service(e.name).operations
]


def on_the_operations_page(c: Citation, operation: str, edition: str) -> bool:
    """True when the cited line is in the document's part about ``operation``: its page of a
    folder document, or the lines from its method to the next one of a single page."""
    method = load_service(edition).operation(operation).python_name
    document = find_edition(edition).document
    if document.is_dir():
        return c.file == f"ecr-public/client/{method}.rst"
    lines = document.read_text(encoding="utf-8").splitlines()
    start = next(i for i, t in enumerate(lines) if f".. py:method:: {method}(" in t)
    end = next(
        (i for i in range(start + 1, len(lines)) if ".. py:method::" in lines[i]), len(lines)
    )
    return c.line is not None and start < c.line <= end


@pytest.mark.parametrize(("fact_id", "operation", "edition"), CASES)
def test_every_quote_resolves(fact_id: str, operation: str, edition: str) -> None:
    fact = load_facts()[fact_id]
    c = fact.citation(operation, edition)  # CitationError when the quote is not there
    assert "{operation}" not in c.quote
    if fact.source == "service-model":
        assert c.shape is not None
    if fact.source == "document":
        assert c.line is not None
    if c.line is not None:  # an error's line is its operation's Exceptions list, when it has it
        assert on_the_operations_page(c, operation, edition), (c.file, c.line)


def test_each_edition_is_checked() -> None:
    assert {e for _, _, e in CASES} == {e.name for e in editions()}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[fact]]\nid = "x"\n', "'text' (a non-empty string) is required"),
        (
            '[[fact]]\nid = "Not An Id"\ntext = "t"\nsource = "document"\nquote = "q"\n',
            "an id is lower-case words joined by hyphens",
        ),
        (
            '[[fact]]\nid = "x"\ntext = "t"\nsource = "blog"\nquote = "q"\n',
            "source must be one of",
        ),
        (
            '[[fact]]\nid = "x"\ntext = "t"\nsource = "document"\nquote = "q"\n',
            "'operations' (a non-empty list) is required",
        ),
        (
            '[[fact]]\nid = "x"\ntext = "t"\nsource = "document"\nquote = "q"\n'
            'operations = ["PutImage"]\n[fact.quotes]\nGetRepositoryPolicy = "q"\n',
            "quotes for operations it does not list",
        ),
        (
            '[[fact]]\nid = "x"\ntext = "t"\nsource = "document"\nquote = "q"\n'
            'operations = ["PutImage"]\nlevel = "MUST"\n',
            "unknown keys ['level']",
        ),
        (
            '[[fact]]\nid = "x"\ntext = "t"\nsource = "document"\nquote = "q"\n'
            'operations = ["PutImage"]\n' * 2,
            "fact id used twice: x",
        ),
    ],
)
def test_malformed_facts_are_refused(text: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / FACTS.name
    path.write_text(text)
    with pytest.raises(FactsError, match=re.escape(message)):
        load_facts(path)


@pytest.mark.parametrize(
    ("check_id", "fault", "operation", "fact_id"),
    [
        ("registry_model_conformance", "tags-not-stored", "ListTagsForResource", "tags-listed"),
        (
            "registry_model_members_returned",
            "layer-digest-omitted",
            "CompleteLayerUpload",
            "complete-returns-digest",
        ),
    ],
)
def test_a_model_failure_cites_its_fact(
    check_id: str, fault: str, operation: str, fact_id: str, make_env: EnvFactory
) -> None:
    env = make_env(fault, profile="ci")
    op = env.service.operation(operation)
    result = run_case(env, all_checks()[check_id], op)
    assert result.status == "failed", result.reason
    fact = load_facts()[fact_id]
    cited = result.failures[0].spec_fact
    c = fact.citation(operation, env.service.edition or None)
    assert (cited.provenance, cited.quote, cited.doc_line) == ("document", c.quote, c.line)
    assert cited.doc_line is not None
    assert cited.constraint == f"{fact.statement(operation)}: {c.quote} [{c.where}]"
    assert result.failures[0].expected == fact.statement(operation)
