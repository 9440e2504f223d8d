"""Create or update, idempotently, the AWS resources PetTube needs. The local embedded AWS and
`manage.py bootstrap_aws` both use it."""

from collections.abc import Sequence

from django.conf import settings

from notifications import mailer
from pettube import dynamo
from videos import storage


def ensure_resources(*, extra_origins: Sequence[str] = ()) -> None:
    """The media bucket, allowing browser uploads from PETTUBE_SITE_ORIGINS and `extra_origins`,
    the table, and the SES identity emails are sent from."""
    storage.ensure_bucket(site_origins=[*settings.PETTUBE_SITE_ORIGINS, *extra_origins])
    dynamo.ensure_table()
    mailer.ensure_sender()
