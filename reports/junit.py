"""``junit.xml``: one testsuite per operation (and ``endpoint``), one testcase per check."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from ..records import ENDPOINT, CheckResult, Failure, RunResults
from ..records.causes import setup_text
from .atomic import atomic_write_text
from .fmt import plain_text, spec_fact_text
from .redact import redact_run

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SKIPPED = frozenset({"skipped", "unsupported", "disabled", "xfailed"})


def render_junit(run: RunResults) -> str:
    """Return the JUnit XML document of ``run``."""
    root = ET.Element("testsuites", name=f"{run.suite.name} {run.target.endpoint_url}")
    by_op: dict[str, list[CheckResult]] = {}
    if any(r.operation == ENDPOINT for r in run.results):
        by_op[ENDPOINT] = []  # checks about the endpoint as a whole: one suite, first
    for result in run.results:
        by_op.setdefault(result.operation, []).append(result)
    for operation, results in by_op.items():
        root.append(_suite(run, operation, results))
    _count(root)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(run: RunResults, path: Path) -> Path:
    """Write ``junit.xml`` (credentials redacted) atomically."""
    return atomic_write_text(path, render_junit(redact_run(run)))


def _suite(run: RunResults, operation: str, results: list[CheckResult]) -> ET.Element:
    suite = ET.Element("testsuite", name=operation, timestamp=run.times.started_at.rstrip("Z"))
    props = ET.SubElement(suite, "properties")
    for name, value in (
        ("target", run.target.endpoint_url),
        ("profile", run.settings.profile),
        ("strictness", run.settings.strictness),
        ("seed", "" if run.settings.seed is None else str(run.settings.seed)),
        ("spec_hash", run.spec_hash),
    ):
        ET.SubElement(props, "property", name=name, value=_safe(value))
    for result in results:
        suite.append(_case(result))
    _count(suite)
    return suite


def _count(element: ET.Element) -> None:
    cases = list(element.iter("testcase"))
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(c.find("failure") is not None for c in cases)))
    element.set("errors", str(sum(c.find("error") is not None for c in cases)))
    element.set("skipped", str(sum(c.find("skipped") is not None for c in cases)))
    element.set("time", f"{sum(float(c.get('time', 0)) for c in cases):.3f}")


def _case(result: CheckResult) -> ET.Element:
    case = ET.Element(
        "testcase",
        classname=f"ecr_public.{result.operation}.{result.category}",
        name=f"{result.check} [{result.level}]",
        time=f"{result.duration_s:.3f}",
    )
    if result.status in ("failed", "xpassed"):
        message = (
            _message(result)
            if result.status == "failed"
            else "XPASS(strict): " + (result.reason or "passed unexpectedly")
        )
        node = ET.SubElement(case, "failure", message=_safe(message), type=result.level)
        node.text = _safe(_details(result))
    elif result.status == "error":
        node = ET.SubElement(case, "error", message=_safe(_message(result)), type="error")
        node.text = _safe(_details(result))
    elif result.status in SKIPPED:
        reason = result.reason or result.status
        ET.SubElement(case, "skipped", message=_safe(f"{result.status}: {reason}"))
    return case


def _message(result: CheckResult) -> str:
    if result.failures:
        return result.failures[0].message
    return result.reason or result.status


def _details(result: CheckResult) -> str:
    parts = [plain_text(result.description)] if result.description else []
    if result.reason:
        parts.append(f"reason: {result.reason}")
    if result.setup_failure is not None:
        parts.append(f"could not run: {setup_text(result.setup_failure)}")
    parts += [_failure_text(f) for f in result.failures]
    return "\n\n".join(parts)


def _failure_text(failure: Failure) -> str:
    lines = [failure.message]
    if failure.expected:
        lines += [f"expected: {failure.expected}", f"got: {failure.actual}"]
    lines += [
        f"spec fact: {spec_fact_text(failure.spec_fact)}",
        "request: " + json.dumps(failure.request, sort_keys=True, default=str),
        "response: " + json.dumps(failure.response, sort_keys=True, default=str),
    ]
    for kind, command in failure.reproduce.items():
        lines.append(f"reproduce ({kind}):\n{command}")
    return "\n".join(lines)


def _safe(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)
