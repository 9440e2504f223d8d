from django.conf import settings
from django.db import models

KINDS = {
    "ready": "when a video of mine is ready",
    "failed": "when a video of mine could not be processed",
    "digest": "a daily digest of new likes and comments on my videos",
    "following": "a daily digest of new videos from the pets and people I follow",
}


class Preferences(models.Model):
    """Which emails a person gets; everything is on until they turn it off (a person without a
    row gets every kind)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences")
    ready = models.BooleanField("Email me " + KINDS["ready"], default=True)
    failed = models.BooleanField("Email me " + KINDS["failed"], default=True)
    digest = models.BooleanField("Email me " + KINDS["digest"], default=True)
    following = models.BooleanField("Email me " + KINDS["following"], default=True)

    def wants(self, kind: str) -> bool:
        return getattr(self, kind)
