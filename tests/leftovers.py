"""What is left in the embedded AWS after something was deleted: every item of the table (read
from the moto server's memory in this process: the suite forbids Scan) and every object key of
the bucket, to count what still refers to a video or a person."""

from django.conf import settings

from pettube import aws


def table_items() -> list[dict]:
    """Every item of PetTube's table, in DynamoDB's wire format."""
    from moto.dynamodb.models import dynamodb_backends

    for account in dynamodb_backends.values():
        for backend in account.values():
            table = backend.tables.get(settings.PETTUBE_TABLE)
            if table is not None:
                return [item.to_json()["Attributes"] for item in table.all_items()]
    raise LookupError("no table")


def bucket_keys() -> list[str]:
    s3 = aws.client("s3")
    return [item["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=settings.PETTUBE_BUCKET)
            for item in page.get("Contents", [])]


def open_multipart_uploads() -> list[str]:
    return [upload["Key"] for upload in aws.client("s3").list_multipart_uploads(
        Bucket=settings.PETTUBE_BUCKET).get("Uploads", [])]


def _strings(attribute: dict) -> list[str]:
    """The strings in one attribute value (wire format), however nested; numbers left out."""
    if "S" in attribute:
        return [attribute["S"]]
    if "SS" in attribute:
        return list(attribute["SS"])
    if "L" in attribute:
        return [text for inner in attribute["L"] for text in _strings(inner)]
    if "M" in attribute:
        return [text for inner in attribute["M"].values() for text in _strings(inner)]
    return []


def _parts(text: str) -> set[str]:
    parts = set(text.split("#"))
    return parts | {part.split(":", 1)[1] for part in parts if part.startswith(("video:", "comment:", "user:", "pet:"))}


def items_mentioning(word: str, *, lasting_only: bool = False) -> list[str]:
    """The ids of the items where `word` is a whole string value, a part of one between `#`, or
    the id in a report's target (`video:<id>`); with `lasting_only`, not counting items that
    expire by themselves (a TTL `expires_at`, within days)."""
    found = []
    for item in table_items():
        if lasting_only and "expires_at" in item:
            continue
        if any(word in _parts(text) for value in item.values() for text in _strings(value)):
            found.append(item["id"]["S"])
    return found
