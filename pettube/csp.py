"""Content Security Policy with the media bucket's origin, which is only known at run time
(locally it carries the embedded AWS's port), the media domain (CloudFront) when there is one, and
the one kind of page other sites may frame."""

import functools
import os
from urllib.parse import urlsplit

from django.conf import settings
from django.middleware import csp

MEDIA_ORIGIN = "<pettube-media-origin>"


class ContentSecurityPolicyMiddleware(csp.ContentSecurityPolicyMiddleware):
    """Django's CSP middleware, with MEDIA_ORIGIN in SECURE_CSP replaced by the bucket's origin
    and PETTUBE_MEDIA_DOMAIN's."""

    def process_response(self, request, response):
        if not hasattr(response, "_csp_config"):
            bucket = media_origin(
                bucket=settings.PETTUBE_BUCKET, region=settings.AWS_REGION, endpoint=os.environ.get("AWS_ENDPOINT_URL")
            )
            cdn = (f"https://{settings.PETTUBE_MEDIA_DOMAIN}",) if settings.PETTUBE_MEDIA_DOMAIN else ()
            response._csp_config = _policy((bucket, *cdn), framable=getattr(response, "framable_anywhere", False))
        return super().process_response(request, response)


def media_origin(*, bucket: str, region: str, endpoint: str | None) -> str:
    """The scheme and host of the bucket's presigned URLs, as botocore builds them, from the
    settings alone: no S3 client (creating one costs tens of milliseconds of a cold start)."""
    if endpoint:  # an emulated or compatible S3: path-style URLs on the endpoint
        parts = urlsplit(endpoint)
        return f"{parts.scheme}://{parts.netloc}"
    if region.startswith("cn-"):
        return f"https://{bucket}.s3.{region}.amazonaws.com.cn"
    if region.startswith("us-gov-"):
        return f"https://{bucket}.s3.{region}.amazonaws.com"
    return f"https://{bucket}.s3.amazonaws.com"


def framable_anywhere(view):
    """For a page any site may put in an <iframe> (the embed page; every other page refuses to
    be framed): its policy says `frame-ancestors *` and it sends no X-Frame-Options."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.framable_anywhere = True
        response.xframe_options_exempt = True  # read by Django's XFrameOptionsMiddleware
        return response

    return wrapped


@functools.lru_cache(maxsize=8)
def _policy(origins: tuple[str, ...], *, framable: bool = False) -> dict:
    policy = {
        directive: [origin for value in values for origin in (origins if value == MEDIA_ORIGIN else (value,))]
        for directive, values in settings.SECURE_CSP.items()
    }
    if framable:
        policy["frame-ancestors"] = ["*"]
    return policy
