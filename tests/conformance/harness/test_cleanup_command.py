"""``ecr-public-conformance cleanup``: through faults, with a verdict and the command to finish."""

from __future__ import annotations

import boto3
import pytest

from ecr_public_conformance.cli import main
from ecr_public_conformance.reference import start_server
from ecr_public_conformance.wire import TargetUnreachable, WireClient

from ...reference.helpers import push_image

PREFIX = "ecrconf-1a2b3c4d-main"


def _boto3(url: str) -> object:
    return boto3.client(
        "ecr-public",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def _create(url: str, store: dict[str, object], names: list[str]) -> None:
    """Create ``names`` through whatever faults the target has."""
    client = WireClient(url, retry_transport=True)
    for name in names:
        while name not in store:
            try:
                client.call("CreateRepository", {"repositoryName": name})
            except TargetUnreachable:
                pass


def test_a_flaky_target_is_cleaned_and_verified(capsys: pytest.CaptureFixture[str]) -> None:
    with start_server(faults=["flaky-transport=0.4"], fault_seed=9) as srv:
        store = srv.endpoint.store.repositories
        _create(srv.url, store, [*(f"{PREFIX}-r{n}" for n in range(12)), "users-own"])
        code = main(["cleanup", "--endpoint-url", srv.url, "--prefix", PREFIX])
        out, err = capsys.readouterr()
        assert code == 0, err
        assert out.splitlines()[-1] == "deleted 12; verified: nothing is left"
        assert list(store) == ["users-own"]
        assert sum(srv.endpoint.disruptions.values()) > 0


def test_what_cannot_be_deleted_is_named_with_the_command_to_finish(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with start_server(faults=["force-ignored"]) as srv:
        c = _boto3(srv.url)
        c.create_repository(repositoryName=f"{PREFIX}-full")  # type: ignore[attr-defined]
        c.create_repository(repositoryName=f"{PREFIX}-empty")  # type: ignore[attr-defined]
        push_image(c, f"{PREFIX}-full")
        code = main(["cleanup", "--endpoint-url", srv.url, "--prefix", PREFIX])
        err = capsys.readouterr().err.splitlines()
        assert code == 1
        assert err == [
            f"could not delete {PREFIX}-full",
            f"to finish: ecr-public-conformance cleanup --endpoint-url {srv.url} --prefix {PREFIX}",
        ]
        assert list(srv.endpoint.store.repositories) == [f"{PREFIX}-full"]


#: situation -> (arguments, the one line on stderr)
BAD: dict[str, tuple[list[str], str]] = {
    "foreign prefix": (
        ["--prefix", "mine"],
        "error: --prefix must start with 'ecrconf-' (only the suite's own names)",
    ),
    "zero retry time": (
        ["--prefix", PREFIX, "--retry-for", "0"],
        "error: --retry-for must be a positive number of seconds (got 0)",
    ),
    "negative retry time": (
        ["--prefix", PREFIX, "--retry-for", "-5"],
        "error: --retry-for must be a positive number of seconds (got -5)",
    ),
    "nan retry time": (
        ["--prefix", PREFIX, "--retry-for", "nan"],
        "error: --retry-for must be a positive number of seconds (got nan)",
    ),
    "unreachable target": (
        ["--prefix", PREFIX, "--retry-for", "1", "--endpoint-url", "http://127.0.0.1:9"],
        "error: target unreachable: could not list the repositories of "
        "http://127.0.0.1:9/ within 1 s",
    ),
}


@pytest.mark.parametrize("situation", sorted(BAD))
def test_bad_input_gets_one_line_and_exit_2(
    situation: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args, line = BAD[situation]
    url = ["--endpoint-url", "http://127.0.0.1:9"] if "--endpoint-url" not in args else []
    assert main(["cleanup", *url, *args]) == 2
    assert capsys.readouterr().err.splitlines() == [line]
