"""The AWS resources pettube/bootstrap.py creates, for the embedded AWS and `manage.py
bootstrap_aws` alike: the table with its indexes and backups, the private media bucket."""

from django.conf import settings

from pettube import aws as aws_clients
from pettube import dynamo


def test_table_has_on_demand_billing_point_in_time_recovery_and_its_indexes(aws):
    dynamodb = aws_clients.client("dynamodb")
    table = dynamodb.describe_table(TableName=settings.PETTUBE_TABLE)["Table"]
    backups = dynamodb.describe_continuous_backups(TableName=settings.PETTUBE_TABLE)

    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert {index["IndexName"] for index in table["GlobalSecondaryIndexes"]} == {
        "feed", "by-owner", "pending", "owner-public", "pets-of", "pet-videos", "species", "search",
        "comments", "activity", "outbox", "review", "of-video", "of-user", "following", "followers",
        "following-feed", "shorts", "playlists-of",
    } == set(dynamo.INDEXES)
    recovery = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert recovery["PointInTimeRecoveryStatus"] == "ENABLED"


def test_bucket_is_private_with_cors_for_the_site_and_expiring_uploads(aws):
    s3 = aws_clients.client("s3")
    block = s3.get_public_access_block(Bucket=settings.PETTUBE_BUCKET)["PublicAccessBlockConfiguration"]
    (cors,) = s3.get_bucket_cors(Bucket=settings.PETTUBE_BUCKET)["CORSRules"]
    (lifecycle,) = s3.get_bucket_lifecycle_configuration(Bucket=settings.PETTUBE_BUCKET)["Rules"]

    assert block == {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
                     "RestrictPublicBuckets": True}
    assert set(cors["AllowedOrigins"]) == set(settings.PETTUBE_SITE_ORIGINS)
    assert cors["AllowedMethods"] == ["POST", "PUT", "GET", "HEAD"]  # PUT: multipart parts
    assert "ETag" in cors["ExposeHeaders"]
    assert lifecycle["Status"] == "Enabled"
    assert lifecycle["Filter"]["Prefix"] == "uploads/" and lifecycle["Expiration"]["Days"] == 2
    assert lifecycle["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 1}
