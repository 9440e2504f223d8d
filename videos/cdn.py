"""The only code that talks to CloudFront: the media distribution (made by `bootstrap_aws`),
invalidations, and the signed cookies that let a private video's owner through it.

The distribution (docs/DEPLOY.md, "Media through CloudFront") has one origin, the media bucket,
reached with Origin Access Control (the bucket policy lets this distribution read and nobody else
in); HTTP/2 and HTTP/3; compression off (video and images do not shrink; it would only cost CPU at
the edge). Two behaviours:
- `public/*`, the public copies of videos everyone may watch: no signature, cached by path only
  (AWS's managed CachingOptimizedForUncompressedObjects: no header, cookie or query string in the
  key), a year at most as the objects' own Cache-Control says, `Access-Control-Allow-Origin: *`
  for hls.js (managed SimpleCORS).
- everything else (`media/*`: private videos, videos still encoding): only with a signature from
  the trusted key group (signed cookies, scoped to one video's folder, COOKIE_SECONDS), not cached
  (one person watches; nothing of a deleted video can linger at an edge), the Origin header passed
  to S3 whose CORS rule answers the site's origins with credentials (managed CORS-S3Origin).
"""

import base64
import datetime
import functools
import hashlib
import time
from dataclasses import dataclass

from botocore.signers import CloudFrontSigner
from django.conf import settings

from pettube import aws
from videos import signing


@dataclass(frozen=True)
class MediaCookie:
    """One of the signed cookies a browser is given (videos/delivery.py `cookies`)."""

    name: str
    value: str
    max_age: int
    domain: str  # the site's and the media domain's common parent
    path: str  # the video's folder on the media domain: one video's cookies never replace another's


PUBLIC_PATTERN = "public/*"
ORIGIN_ID = "media-bucket"
# AWS's managed policies (their ids are the same in every account).
CACHING_OPTIMIZED_UNCOMPRESSED = "b2884449-e4de-46a7-ac36-70bc7f1ddd6d"
CACHING_DISABLED = "4135ea2d-6df8-4ed0-b60b-2a55c8a8f6b6"
CORS_S3_ORIGIN = "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf"  # origin request policy: Origin and CORS headers to S3
SIMPLE_CORS = "60669652-455b-4ae9-85a4-c4c02393f86c"  # response headers policy: Access-Control-Allow-Origin: *
GET_HEAD_OPTIONS = {"Quantity": 3, "Items": ["GET", "HEAD", "OPTIONS"],
                    "CachedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]}}


def _cloudfront():
    return aws.client("cloudfront")


def _comment() -> str:
    """How PetTube finds its own distribution again: one per media bucket."""
    return f"PetTube media: {settings.PETTUBE_BUCKET}"


# --- serving --------------------------------------------------------------------------------


def invalidate(*paths: str) -> str:
    """Ask every edge to drop what it keeps of `paths` (each may end in `*`); returns the
    invalidation's id. CloudFront usually finishes within a minute or two."""
    answer = _cloudfront().create_invalidation(
        DistributionId=distribution_id(),
        InvalidationBatch={"Paths": {"Quantity": len(paths), "Items": list(paths)},
                           "CallerReference": f"pettube-{time.time_ns()}"},
    )
    return answer["Invalidation"]["Id"]


@functools.cache
def distribution_id() -> str:
    """The media distribution's id, looked up once per process (by its comment)."""
    distribution = _find_distribution()
    if distribution is None:
        raise LookupError(f"no CloudFront distribution '{_comment()}': run `manage.py bootstrap_aws`")
    return distribution["Id"]


def signed_cookies(resource: str, *, expires: datetime.datetime) -> dict[str, str]:
    """CloudFront's three signed cookies for a custom policy: GET `resource` (a URL, which may
    end in `*`) until `expires`, with the key pair of PETTUBE_CLOUDFRONT_KEY_ID."""
    signer = CloudFrontSigner(settings.PETTUBE_CLOUDFRONT_KEY_ID, _private_key(settings.PETTUBE_CLOUDFRONT_PRIVATE_KEY).sign_sha1)
    policy = signer.build_policy(resource, expires).encode()
    return {
        "CloudFront-Policy": _cookie_base64(policy),
        "CloudFront-Signature": _cookie_base64(signer.rsa_signer(policy)),
        "CloudFront-Key-Pair-Id": settings.PETTUBE_CLOUDFRONT_KEY_ID,
    }


@functools.lru_cache(maxsize=2)
def _private_key(pem: str) -> signing.PrivateKey:
    return signing.private_key(pem)


def _cookie_base64(data: bytes) -> str:
    """Base64 with the three characters cookies and URLs cannot carry swapped, as CloudFront wants."""
    return base64.b64encode(data).decode().translate(str.maketrans("+=/", "-_~"))


# --- provisioning ---------------------------------------------------------------------------


def ensure_distribution(*, public_key_pem: str) -> dict:
    """Create, or bring back to this configuration, the media distribution with its Origin
    Access Control and the key group of `public_key_pem`. Returns `{id, arn, domain, key_id}`:
    the bucket policy needs the ARN; PETTUBE_MEDIA_DOMAIN and PETTUBE_CLOUDFRONT_KEY_ID are
    the domain and the key's id."""
    key_id = _ensure_public_key(public_key_pem)
    config = _distribution_config(oac_id=_ensure_origin_access_control(), key_group_id=_ensure_key_group(key_id))
    found = _find_distribution()
    if found is None:
        distribution = _cloudfront().create_distribution(DistributionConfig=config)["Distribution"]
    else:
        current = _cloudfront().get_distribution_config(Id=found["Id"])
        config["CallerReference"] = current["DistributionConfig"]["CallerReference"]
        distribution = _cloudfront().update_distribution(
            Id=found["Id"], IfMatch=current["ETag"], DistributionConfig=config
        )["Distribution"]
    distribution_id.cache_clear()
    aliases = config["Aliases"].get("Items") or [distribution["DomainName"]]
    return {"id": distribution["Id"], "arn": distribution["ARN"], "domain": aliases[0], "key_id": key_id}


def _distribution_config(*, oac_id: str, key_group_id: str) -> dict:
    bucket, region = settings.PETTUBE_BUCKET, settings.AWS_REGION
    signed = {"Enabled": True, "Quantity": 1, "Items": [key_group_id]}
    return {
        "CallerReference": f"pettube-{bucket}-{time.time_ns()}",
        "Comment": _comment(),
        "Enabled": True,
        "HttpVersion": "http2and3",
        "IsIPV6Enabled": True,
        "PriceClass": "PriceClass_All",
        **_aliases(),
        "Origins": {"Quantity": 1, "Items": [{
            "Id": ORIGIN_ID,
            "DomainName": f"{bucket}.s3.{region}.amazonaws.com",
            "OriginPath": "",
            "OriginAccessControlId": oac_id,
            "S3OriginConfig": {"OriginAccessIdentity": ""},  # empty: OAC, not the legacy identity
        }]},
        "DefaultCacheBehavior": {
            "TargetOriginId": ORIGIN_ID,
            "ViewerProtocolPolicy": "https-only",
            "Compress": False,
            "AllowedMethods": GET_HEAD_OPTIONS,
            "TrustedKeyGroups": signed,
            "CachePolicyId": CACHING_DISABLED,
            "OriginRequestPolicyId": CORS_S3_ORIGIN,
        },
        "CacheBehaviors": {"Quantity": 1, "Items": [{
            "PathPattern": PUBLIC_PATTERN,
            "TargetOriginId": ORIGIN_ID,
            "ViewerProtocolPolicy": "https-only",
            "Compress": False,
            "AllowedMethods": GET_HEAD_OPTIONS,
            "TrustedKeyGroups": {"Enabled": False, "Quantity": 0},
            "CachePolicyId": CACHING_OPTIMIZED_UNCOMPRESSED,
            "ResponseHeadersPolicyId": SIMPLE_CORS,
        }]},
    }


def _aliases() -> dict:
    """PETTUBE_MEDIA_DOMAIN as the distribution's name when a certificate for it is given (signed
    cookies need it: the site sets them for its own domain); otherwise CloudFront's own name."""
    if settings.PETTUBE_MEDIA_DOMAIN and settings.PETTUBE_MEDIA_CERTIFICATE_ARN:
        return {
            "Aliases": {"Quantity": 1, "Items": [settings.PETTUBE_MEDIA_DOMAIN]},
            "ViewerCertificate": {"ACMCertificateArn": settings.PETTUBE_MEDIA_CERTIFICATE_ARN,
                                  "SSLSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"},
        }
    return {"Aliases": {"Quantity": 0}, "ViewerCertificate": {"CloudFrontDefaultCertificate": True}}


def _find_distribution() -> dict | None:
    for page in _cloudfront().get_paginator("list_distributions").paginate():
        for distribution in page.get("DistributionList", {}).get("Items", []):
            if distribution["Comment"] == _comment():
                return distribution
    return None


def _ensure_origin_access_control() -> str:
    name = f"pettube-{settings.PETTUBE_BUCKET}"[:64]
    for control in _cloudfront().list_origin_access_controls().get("OriginAccessControlList", {}).get("Items", []):
        if control["Name"] == name:
            return control["Id"]
    return _cloudfront().create_origin_access_control(OriginAccessControlConfig={
        "Name": name,
        "Description": "PetTube's media distribution reads the private media bucket",
        "SigningProtocol": "sigv4",
        "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3",
    })["OriginAccessControl"]["Id"]


def _ensure_public_key(pem: str) -> str:
    # Named after the key itself: a new key pair (a rotation) is a new public key, which the key
    # group is then pointed at.
    name = f"pettube-{hashlib.sha256(pem.strip().encode()).hexdigest()[:16]}"
    for key in _cloudfront().list_public_keys().get("PublicKeyList", {}).get("Items", []):
        if key["Name"] == name:
            return key["Id"]
    return _cloudfront().create_public_key(PublicKeyConfig={
        "CallerReference": name, "Name": name, "EncodedKey": pem, "Comment": "PetTube's signed cookies",
    })["PublicKey"]["Id"]


def _ensure_key_group(key_id: str) -> str:
    name = f"pettube-{settings.PETTUBE_BUCKET}"[:128]
    for group in _cloudfront().list_key_groups().get("KeyGroupList", {}).get("Items", []):
        if group["KeyGroup"]["KeyGroupConfig"]["Name"] == name:
            current = group["KeyGroup"]
            if current["KeyGroupConfig"]["Items"] != [key_id]:
                etag = _cloudfront().get_key_group(Id=current["Id"])["ETag"]
                _cloudfront().update_key_group(Id=current["Id"], IfMatch=etag,
                                               KeyGroupConfig={"Name": name, "Items": [key_id]})
            return current["Id"]
    return _cloudfront().create_key_group(KeyGroupConfig={
        "Name": name, "Items": [key_id], "Comment": "PetTube's signed cookies"
    })["KeyGroup"]["Id"]

