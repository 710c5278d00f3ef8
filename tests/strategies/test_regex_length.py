"""Strings of an exact length built from a pattern's syntax: they match, and none is claimed
where no string of that length matches (checked against every string over a small alphabet)."""

from __future__ import annotations

import itertools
import re

import pytest

from ecr_public_conformance.strategies.regex_length import NotAnalysable, string_of_length

PATTERNS = [
    r"[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*",
    r"[a-z][a-z0-9]+(?:[._-][a-z0-9]+)*",
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
    r"[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+",
    r"^\S+$",
    r"(ab){3}x?",
    r"a{2,5}?b|c*",
    r"[^a]{2}",
]


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("length", [0, 1, 2, 3, 6, 7, 10, 205, 2048])
def test_a_built_value_matches_and_has_the_length(pattern: str, length: int) -> None:
    value = string_of_length(pattern, length)
    if value is not None:
        assert len(value) == length and re.fullmatch(pattern, value)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_none_means_no_string_of_that_length_matches(pattern: str) -> None:
    alphabet = "a0bc:_.-/x"
    for length in range(5):
        built = string_of_length(pattern, length)
        exists = any(
            re.fullmatch(pattern, "".join(t)) for t in itertools.product(alphabet, repeat=length)
        )
        assert (built is not None) is exists, (pattern, length)


@pytest.mark.parametrize("pattern", [r"(?=a)a", r"(a)\1", r"(?i)a", r"a\b"])
def test_constructs_not_read_are_said(pattern: str) -> None:
    with pytest.raises(NotAnalysable):
        string_of_length(pattern, 2)
