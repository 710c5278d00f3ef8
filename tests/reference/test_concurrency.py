from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .conftest import make_client
from .helpers import push_image

ARN = "arn:aws:ecr-public::123456789012:repository/"
STATUSES: list[int] = []


def _worker(url: str, n: int) -> dict[str, Any]:
    """Create, tag, push, delete; return this worker's expected final state."""
    c = make_client(url)
    c.meta.events.register(
        "after-call.ecr-public.*",
        lambda http_response, **_: STATUSES.append(http_response.status_code),
    )
    keep, drop = f"w{n}/keep", f"w{n}/drop"
    for name in (keep, drop):
        c.create_repository(repositoryName=name)
    c.tag_resource(resourceArn=ARN + keep, tags=[{"Key": "worker", "Value": str(n)}])
    digests = [push_image(c, keep, tag=f"t{i}", seed=f"{n}-{i}") for i in range(3)]
    push_image(c, drop, tag="x", seed=f"{n}-drop")
    c.batch_delete_image(repositoryName=keep, imageIds=[{"imageDigest": digests[0]}])
    c.delete_repository(repositoryName=drop, force=True)
    return {keep: {"tags": {"worker": str(n)}, "images": {digests[1]: ["t1"], digests[2]: ["t2"]}}}


def test_eight_threads(url: str, client: Any) -> None:
    expected: dict[str, Any] = {}
    with ThreadPoolExecutor(8) as pool:
        for part in pool.map(lambda n: _worker(url, n), range(8)):
            expected.update(part)
    actual: dict[str, Any] = {}
    for page in client.get_paginator("describe_repositories").paginate():
        for repo in page["repositories"]:
            name = repo["repositoryName"]
            tags = client.list_tags_for_resource(resourceArn=repo["repositoryArn"])["tags"]
            images = client.describe_images(repositoryName=name)["imageDetails"]
            actual[name] = {
                "tags": {t["Key"]: t["Value"] for t in tags},
                "images": {i["imageDigest"]: i["imageTags"] for i in images},
            }
    assert actual == expected
    assert STATUSES and all(s < 500 for s in STATUSES)
