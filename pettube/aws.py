"""boto3 clients, created once per process (creating one costs tens of milliseconds).

boto3 reads AWS_ENDPOINT_URL itself, so the same clients talk to real AWS, to the embedded
local AWS, or to a moto server in the tests.
"""

import functools

import boto3
from botocore.config import Config
from django.conf import settings


@functools.cache
def client(service: str):
    return boto3.session.Session().client(
        service,
        region_name=settings.AWS_REGION,
        config=Config(signature_version="s3v4", retries={"mode": "standard", "max_attempts": 4}),
    )


def reset_clients() -> None:
    """Forget cached clients, for when the endpoint or credentials change (tests, local AWS)."""
    client.cache_clear()
