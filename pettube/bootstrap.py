"""Create or update, idempotently, the AWS resources PetTube needs. The local embedded AWS and
`manage.py bootstrap_aws` both use it."""

from collections.abc import Sequence

from django.conf import settings

from notifications import mailer
from pettube import dynamo
from videos import cdn, signing, storage


def ensure_resources(*, extra_origins: Sequence[str] = ()) -> dict | None:
    """The media bucket, allowing browser uploads from PETTUBE_SITE_ORIGINS and `extra_origins`,
    the table, the SES identity emails are sent from and, when PETTUBE_CLOUDFRONT_PRIVATE_KEY is
    set, the CloudFront distribution in front of the bucket (the only reader its policy lets in).
    Returns the distribution (videos.cdn.ensure_distribution), or None without one."""
    distribution = None
    if settings.PETTUBE_CLOUDFRONT_PRIVATE_KEY:
        public_key = signing.private_key(settings.PETTUBE_CLOUDFRONT_PRIVATE_KEY).public_pem()
        distribution = cdn.ensure_distribution(public_key_pem=public_key)
    storage.ensure_bucket(site_origins=[*settings.PETTUBE_SITE_ORIGINS, *extra_origins],
                          distribution_arn=distribution["arn"] if distribution else None)
    dynamo.ensure_table()
    mailer.ensure_sender()
    return distribution
