"""Presigned GETs are signed without an S3 client (videos/storage.py): they must be, character
for character, the URLs the client's `generate_presigned_url("get_object")` makes."""

from datetime import datetime

import boto3
import pytest
from botocore import auth
from botocore.config import Config

from pettube import aws
from videos import storage

KEYS = ["media/abcdefghijk/poster-0.jpg", "media/ab c~d/p+q é.jpg", "uploads/7/x?y#z&=%"]


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1"])
@pytest.mark.parametrize("endpoint", [None, "http://127.0.0.1:5000", "https://s3.example.com:8443"])
@pytest.mark.parametrize("token", [None, "session/token+="])
def test_a_presigned_get_is_the_s3_clients(region, endpoint, token, settings, monkeypatch):
    if endpoint:
        monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    else:
        monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret/key+example")
    if token:
        monkeypatch.setenv("AWS_SESSION_TOKEN", token)
    else:
        monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    settings.AWS_REGION = region
    monkeypatch.setattr(auth, "get_current_datetime", lambda **_: datetime(2026, 12, 2, 6, 30, 15))
    aws.reset_clients()
    s3 = boto3.session.Session().client("s3", region_name=region, config=Config(signature_version="s3v4"))

    try:
        for key in KEYS:
            assert storage.presigned_get(key, expires_in=1234) == s3.generate_presigned_url(
                "get_object", Params={"Bucket": settings.PETTUBE_BUCKET, "Key": key}, ExpiresIn=1234
            )
    finally:
        aws.reset_clients()
