from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

from ecr_public_conformance.records import CheckResult, RunResults
from ecr_public_conformance.reports import redact
from ecr_public_conformance.reports.html_chart import Point, render_trend
from ecr_public_conformance.reports.junit import render_junit
from ecr_public_conformance.reports.redact import REDACTED, redact_run


def test_redact_forms() -> None:
    value = {
        "headers": [["authorization", "AWS4 secret-sig"], ["Accept", "*/*"]],
        "SecretAccessKey": "s1",
        "nested": {"x-amz-security-token": "s2", "text": "password=s3 ok"},
        "env": "AWS_SESSION_TOKEN=s4 aws ecr-public",
        "json": '{"aws_secret_access_key": "s5"}',
        "url": "https://user:s6@example.com/x?X-Amz-Signature=s7&a=1",
    }
    text = repr(redact(value))
    for i in range(1, 8):
        assert f"s{i}" not in text.replace("s3 ok", ""), i
    assert "*/*" in text and "aws ecr-public" in text and "a=1" in text
    assert redact("nothing to see") == "nothing to see"


def test_redact_run_is_idempotent(run: RunResults) -> None:
    clean = redact_run(run)
    assert redact_run(clean) is clean
    assert REDACTED in repr(clean.to_json()) and clean.summary == run.summary


def test_trend_with_many_points_labels_a_subset() -> None:
    points = [Point(f"2026-01-{i + 1:02d}T00-00-00Z", 0.5 + i / 100) for i in range(40)]
    points[10] = Point("2026-01-11T00-00-00Z", None)
    svg = render_trend([*points[:-1], Point(points[-1].run_id, 0.9, current=True)])
    root = ET.fromstring(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))
    assert root is not None
    assert svg.count('class="trend-point') == 39
    assert svg.count('class="trend-point current"') == 1
    assert 2 <= svg.count('class="pt-label"') <= 20
    assert svg.count("<polyline") == 2  # the missing score splits the line
    assert re.search(r'class="pt-label"[^>]*>90\.0%<', svg)


def test_junit_survives_control_characters(
    run_factory: Callable[..., RunResults], result_factory: Callable[..., CheckResult]
) -> None:
    bad = result_factory("A", "ctl", "failed", reason="bell \x07 and nul \x00")
    root = ET.fromstring(render_junit(run_factory((bad,))).encode())
    assert root.get("failures") == "1"
