from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pettube import bootstrap, dynamo
from videos.storage import ensure_static_bucket


class Command(BaseCommand):
    help = (
        "Create or update, idempotently, the AWS resources PetTube needs: the media bucket (and, with "
        "PETTUBE_CLOUDFRONT_PRIVATE_KEY, the CloudFront distribution in front of it), the "
        "DynamoDB table and, on AWS, the static-files bucket. Run it before the first deploy and "
        "after changing PETTUBE_SITE_ORIGINS."
    )

    def handle(self, *args, **options):
        if settings.LOCAL_AWS:
            raise CommandError(
                "PETTUBE_AWS is 'local': runserver provisions the embedded AWS itself. "
                "Set PETTUBE_AWS=aws (and AWS credentials) to bootstrap real AWS."
            )
        origins = ", ".join(settings.PETTUBE_SITE_ORIGINS)
        distribution = bootstrap.ensure_resources()
        self.stdout.write(
            f"Media bucket {settings.PETTUBE_BUCKET} ({settings.AWS_REGION}): private (Block Public Access), "
            f"TLS only, CORS for {origins}, a lifecycle rule expiring abandoned uploads."
        )
        if distribution:
            self.stdout.write(
                f"CloudFront distribution {distribution['id']} in front of it (Origin Access Control, HTTP/2 and "
                f"HTTP/3): set PETTUBE_MEDIA_DOMAIN={distribution['domain']} and "
                f"PETTUBE_CLOUDFRONT_KEY_ID={distribution['key_id']} on both functions."
            )
        else:
            self.stdout.write("No CloudFront distribution: set PETTUBE_CLOUDFRONT_PRIVATE_KEY to make one (docs/DEPLOY.md).")
        self.stdout.write(
            f"DynamoDB table {settings.PETTUBE_TABLE}: on-demand, indexes {', '.join(dynamo.INDEXES)}, "
            "point-in-time recovery and the TTL on."
        )
        bucket = ensure_static_bucket(site_origins=settings.PETTUBE_SITE_ORIGINS)
        self.stdout.write(
            f"Static bucket {bucket}: public read over TLS, CORS for {origins}; "
            "fill it with `python manage.py collectstatic`."
        )
        self.stdout.write(self.style.SUCCESS("AWS resources are ready."))
