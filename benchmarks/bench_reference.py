"""Requests per second of the reference endpoint vs moto's server, through boto3.

Run: ``python benchmarks/bench_reference.py [--requests N]``. Both servers run on 127.0.0.1 in
the same run; moto does the equivalent private-ECR calls.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable
from typing import Any

import boto3

from ecr_public_conformance.reference import start_server

CREDS = {"region_name": "us-east-1", "aws_access_key_id": "test", "aws_secret_access_key": "test"}


def rate(call: Callable[[int], Any], n: int) -> float:
    start = time.perf_counter()
    for i in range(n):
        call(i)
    return n / (time.perf_counter() - start)


def measure(client: Any, n: int, prefix: str) -> dict[str, float]:
    create = rate(lambda i: client.create_repository(repositoryName=f"{prefix}-{i}"), n)
    describe = rate(lambda i: client.describe_repositories(maxResults=20), n)
    return {"CreateRepository": create, "DescribeRepositories": describe}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    n = parser.parse_args().requests
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    moto.start()
    host, port = moto.get_host_and_port()
    with start_server() as ref:
        ours = measure(boto3.client("ecr-public", endpoint_url=ref.url, **CREDS), n, "ref")
    theirs = measure(boto3.client("ecr", endpoint_url=f"http://{host}:{port}", **CREDS), n, "m")
    moto.stop()
    print(f"{n} requests per operation, sequential boto3 client\n")
    print(f"{'operation':24} {'reference rps':>14} {'moto rps':>10} {'ratio':>7}")
    for op, value in ours.items():
        print(f"{op:24} {value:14.0f} {theirs[op]:10.0f} {value / theirs[op]:7.2f}")


if __name__ == "__main__":
    main()
