"""Static files on S3 (PETTUBE_AWS=aws): django-storages' manifest storage, with the manifest
kept next to manage.py instead of in the bucket.

`collectstatic` uploads the hashed files to the bucket and writes `staticfiles.json` here;
`zappa package`/`update` then ships it inside the function (deploy/lambda_package.py refuses
to build a package without it). A cold Lambda reads it from its own disk rather than with an
S3 GET before its first page, and each deployed version links to the files it was built with."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3ManifestStaticStorage


class StaticStorage(S3ManifestStaticStorage):
    # The page scripts are ES modules importing each other: rewrite those imports to hashed
    # names too, or a browser would keep an old `api.js` for the year its Cache-Control allows.
    support_js_module_import_aggregation = True

    def __init__(self, **options):
        super().__init__(manifest_storage=FileSystemStorage(location=settings.BASE_DIR), **options)
