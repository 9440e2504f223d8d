"""The static-files bucket on AWS: `collectstatic` fills it (through django-storages) and
browsers read it directly. Unlike the media bucket it is public, for reading only."""

import json

from django.conf import settings

from pettube import aws


def ensure_static_bucket(*, site_origins: list[str]) -> str:
    """Create the bucket if missing and (re)apply its settings: anybody may GET objects, over
    TLS only (on AWS); nobody may list or write without credentials; the site's pages may fetch from it
    (CORS, for module scripts). Returns the bucket's name."""
    s3 = aws.client("s3")
    bucket = settings.PETTUBE_STATIC_BUCKET
    try:
        s3.head_bucket(Bucket=bucket)
    except s3.exceptions.ClientError:
        if settings.AWS_REGION == "us-east-1":
            s3.create_bucket(Bucket=bucket)
        else:
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": settings.AWS_REGION})
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": False,
            "RestrictPublicBuckets": False,
        },
    )
    tls_only = s3.meta.endpoint_url.startswith("https://")  # an emulated AWS may speak only HTTP
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(_public_read_policy(bucket, tls_only=tls_only)))
    s3.put_bucket_cors(
        Bucket=bucket,
        CORSConfiguration={
            "CORSRules": [
                {"AllowedOrigins": site_origins, "AllowedMethods": ["GET", "HEAD"], "AllowedHeaders": ["*"], "MaxAgeSeconds": 86400}
            ]
        },
    )
    return bucket


def _public_read_policy(bucket: str, *, tls_only: bool) -> dict:
    statements = [
        {
            "Sid": "PublicReadObjects",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{bucket}/*",
        }
    ]
    if tls_only:
        statements.append(
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}
