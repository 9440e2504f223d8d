"""boto3 clients, created once per process (creating one costs tens of milliseconds).

boto3 reads AWS_ENDPOINT_URL itself, so the same clients talk to real AWS, to the embedded
local AWS, or to a moto server in the tests.
"""

import functools
import threading

import boto3
from botocore.config import Config
from django.conf import settings

from pettube import sdk_models

# One session for every client: its loader reads the endpoint and model files once, which
# is most of a client's creation cost (it shows in Lambda cold starts). Sessions are not
# thread-safe, so clients are created under a lock; the clients themselves are.
_creating = threading.Lock()


@functools.cache
def _session() -> boto3.session.Session:
    session = boto3.session.Session()
    # The models, as the Lambda package stores them (pettube/sdk_models.py).
    session._session.get_component("data_loader").file_loader = sdk_models.FileLoader()
    return session


@functools.cache
def client(service: str, *, retries: int = 4):
    """The client for `service`; `retries=0` for calls that must not be repeated blindly (a
    request that timed out may have been carried out: the caller decides what to do)."""
    with _creating:
        return _session().client(
            service,
            region_name=settings.AWS_REGION,
            # Connections: the publish step's 8 S3 writes at once, and boto3's 10 threads for an MP4
            # sent in parts beside them (botocore keeps 10 by default and drops the rest).
            config=Config(signature_version="s3v4", retries={"mode": "standard", "max_attempts": retries},
                          max_pool_connections=20),
        )


def credentials():
    """The credentials clients sign with (frozen: a refreshing set stays consistent while used),
    for what PetTube signs without a client (videos/storage.py's presigned GETs)."""
    return _session().get_credentials().get_frozen_credentials()


def reset_clients() -> None:
    """Forget cached clients, for when the endpoint or credentials change (tests, local AWS)."""
    client.cache_clear()
    _session.cache_clear()
