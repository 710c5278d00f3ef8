"""The registry model keeps going after a mismatch: one deviation does not hide the others."""

from __future__ import annotations

from ecr_public_conformance.conformance.checks import all_checks
from ecr_public_conformance.conformance.checks.stateful import ExceptionGroups, _unpack
from ecr_public_conformance.conformance.harness.runner import run_case
from ecr_public_conformance.specs import load_service

from .conftest import EnvFactory


def test_two_faults_are_both_reported(make_env: EnvFactory) -> None:
    env = make_env("tags-not-stored", "digest-not-checked", profile="ci")
    check = all_checks()["registry_model_conformance"]
    tags = run_case(env, check, load_service().operation("ListTagsForResource"))
    layers = run_case(env, check, load_service().operation("CompleteLayerUpload"))
    assert tags.status == "failed" and layers.status == "failed", (tags.reason, layers.reason)
    assert "ListTagsForResource" in tags.failures[0].message
    assert "InvalidLayerException" in layers.failures[0].message
    # what came back is shown, not just a status
    assert "got HTTP 200" not in tags.failures[0].message.rstrip()
    assert tags.failures[0].actual and tags.failures[0].actual != "HTTP 200"
    # the other operations were still exercised after the first mismatch
    others = [
        run_case(env, check, load_service().operation(name))
        for name in ("PutImage", "DescribeImages", "SetRepositoryPolicy")
    ]
    assert [r.status for r in others] == ["passed"] * 3, [r.reason for r in others]


def test_an_exception_group_is_unpacked() -> None:
    first, second = AssertionError("a"), AssertionError("b")
    group = ExceptionGroups("two", [first, ExceptionGroups("inner", [second])])
    assert _unpack(group) == [first, second]


def test_ci_pushes_a_multipart_layer_of_ten_mib(make_env: EnvFactory) -> None:
    from ecr_public_conformance.conformance.catalogue.behaviours import load_catalogue
    from ecr_public_conformance.conformance.catalogue.scenarios import run_behaviour

    env = make_env(profile="ci")
    run = run_behaviour(env, load_catalogue().entry("UploadLayerPart/layers-in-parts"))
    parts = [ex for ex in run.exchanges if ex.operation == "UploadLayerPart"]
    sizes = [len(ex.request_body["layerPartBlob"]) * 3 // 4 for ex in parts]
    assert run.problem is None and len(parts) >= 2
    assert sum(sizes) >= 10 * 1024 * 1024 and min(sizes[:-1]) >= 5 * 1024 * 1024


def test_a_mismatch_costs_no_shrinking(make_env: EnvFactory) -> None:
    # before, one mismatch made Hypothesis shrink for its whole time limit (~30,000 requests)
    from ecr_public_conformance.strategies.profiles import stateful_settings_for

    assert "shrink" not in {p.name for p in stateful_settings_for("ci", shrink=False).phases}
    check = all_checks()["registry_model_conformance"]
    op = load_service().operation("ListTagsForResource")
    sent = []
    for faults in ((), ("tags-not-stored",)):
        env = make_env(*faults, profile="ci")
        before = env.sender.requests_sent
        run_case(env, check, op)
        sent.append(env.sender.requests_sent - before)
    clean, faulty = sent
    assert faulty <= 1.5 * clean, sent


def test_a_repository_set_aside_is_not_created_again(make_env: EnvFactory) -> None:
    # the model forgets a repository set aside after a mismatch; creating its name again was
    # answered RepositoryAlreadyExistsException and blamed on CreateRepository
    check = all_checks()["registry_model_conformance"]
    service = load_service()
    for seed in (1, 2, 3):
        env = make_env("tags-not-stored", profile="quick", seed=seed)
        tags = run_case(env, check, service.operation("ListTagsForResource"))
        created = run_case(env, check, service.operation("CreateRepository"))
        assert tags.status == "failed", (seed, tags.reason)
        assert created.status != "failed", (seed, [f.message for f in created.failures])
