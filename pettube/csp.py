"""Content Security Policy with the media bucket's origin, which is only known at run time
(locally it carries the embedded AWS's port)."""

from django.conf import settings
from django.middleware import csp

MEDIA_ORIGIN = "<pettube-media-origin>"


class ContentSecurityPolicyMiddleware(csp.ContentSecurityPolicyMiddleware):
    """Django's CSP middleware, with MEDIA_ORIGIN in SECURE_CSP replaced by the bucket's origin."""

    def process_response(self, request, response):
        if not hasattr(response, "_csp_config"):
            from videos import storage

            origin = storage.origin()
            response._csp_config = {
                directive: [origin if value == MEDIA_ORIGIN else value for value in values]
                for directive, values in settings.SECURE_CSP.items()
            }
        return super().process_response(request, response)
