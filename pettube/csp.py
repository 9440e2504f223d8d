"""Content Security Policy with the media bucket's origin, which is only known at run time
(locally it carries the embedded AWS's port)."""

import functools

from django.conf import settings
from django.middleware import csp

from pettube import aws

MEDIA_ORIGIN = "<pettube-media-origin>"


class ContentSecurityPolicyMiddleware(csp.ContentSecurityPolicyMiddleware):
    """Django's CSP middleware, with MEDIA_ORIGIN in SECURE_CSP replaced by the bucket's origin."""

    def process_response(self, request, response):
        if not hasattr(response, "_csp_config"):
            response._csp_config = _policy(aws.client("s3"), settings.PETTUBE_BUCKET)
        return super().process_response(request, response)


@functools.lru_cache(maxsize=4)
def _policy(s3_client, bucket: str) -> dict:
    """SECURE_CSP with the media origin filled in: once per S3 client (a new endpoint after
    aws.reset_clients() gives a new client) instead of presigning on every response."""
    from videos import storage

    origin = storage.origin()
    return {
        directive: [origin if value == MEDIA_ORIGIN else value for value in values]
        for directive, values in settings.SECURE_CSP.items()
    }
