"""The caller's AWS credentials, from the usual sources."""

from __future__ import annotations

import functools

from ...wire import Credentials


@functools.cache
def usual_credentials() -> Credentials | None:
    """Credentials from the usual AWS sources (environment, profile, SSO...), if any (looked
    up once per process: building a boto3 session costs a few hundred milliseconds).

    botocore's session is the one a boto3 session wraps, with the same credential chain;
    boto3 itself (and s3transfer with it) took a tenth of a second more to import."""
    import botocore.session

    creds = botocore.session.Session().get_credentials()
    if creds is None:
        return None
    frozen = creds.get_frozen_credentials()
    return Credentials(frozen.access_key, frozen.secret_key, frozen.token)
