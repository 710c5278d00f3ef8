"""The reference rejects members the specs say cannot be used together."""

from __future__ import annotations

from .helpers import raw_call


def test_max_results_with_repository_names_is_rejected(url: str) -> None:
    response = raw_call(url, "DescribeRepositories", {"repositoryNames": ["a1"], "maxResults": 1})
    assert response.status_code == 400
    body = response.json()
    assert body["__type"] == "InvalidParameterException" and "together" in body["message"]
