"""Create or update, idempotently, the AWS resources PetTube needs. The local embedded AWS and
`manage.py bootstrap_aws` both use it."""

from django.conf import settings

from videos import repository, storage


def ensure_resources() -> None:
    storage.ensure_bucket(site_origins=settings.PETTUBE_SITE_ORIGINS)
    repository.ensure_table()
