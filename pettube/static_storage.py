"""Static files on S3 (PETTUBE_AWS=aws): django-storages' manifest storage, except that the
manifest is read through the process's shared S3 client.

The first page a Lambda serves reads the manifest. django-storages would create its own boto3
session and S3 resource for that one read, which costs about as much as the rest of the
request; the shared client already exists for the media bucket."""

from botocore.exceptions import ClientError
from storages.backends.s3 import S3ManifestStaticStorage

from pettube import aws


class StaticStorage(S3ManifestStaticStorage):
    def read_manifest(self):
        try:
            answer = aws.client("s3").get_object(Bucket=self.bucket_name, Key=self._normalize_name(self.manifest_name))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                return None
            raise
        return answer["Body"].read().decode()
