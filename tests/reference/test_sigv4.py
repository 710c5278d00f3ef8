from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from ecr_public_conformance.reference import start_server

from .helpers import raw_call


def _client(url: str, key: str = "test", secret: str = "test") -> object:
    return boto3.client(
        "ecr-public",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
    )


def test_not_verified_by_default(url: str) -> None:
    _client(url, "anything", "wrong").describe_registries()  # type: ignore[attr-defined]


def test_verification_on() -> None:
    with start_server(verify_sigv4=True, credentials={"AKIDEXAMPLE": "s3cret"}) as srv:
        good = _client(srv.url, "AKIDEXAMPLE", "s3cret")
        good.create_repository(repositoryName="signed")  # type: ignore[attr-defined]
        assert good.describe_repositories()["repositories"]  # type: ignore[attr-defined]
        for key, secret, code in [
            ("AKIDEXAMPLE", "wrong", "InvalidSignatureException"),
            ("UNKNOWN", "s3cret", "UnrecognizedClientException"),
        ]:
            with pytest.raises(ClientError) as info:
                _client(srv.url, key, secret).describe_registries()  # type: ignore[attr-defined]
            assert info.value.response["Error"]["Code"] == code
            assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
        assert raw_call(srv.url, "DescribeRegistries").status_code == 403
