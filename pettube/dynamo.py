"""The one DynamoDB table every app shares (single-table design): its handle, its indexes, time
stamps, attribute values, signed pagination cursors, conditional writes and transactions. Each
app's repositories are the only doors to its own items and build on these helpers; nothing else
talks to DynamoDB, builds a transaction or sees its wire format (`{"S": ...}`). Services hand
repositories' opaque `Action`s and `Entry`s around; only repositories make or read them.

Key scheme: the table's only key is the string `id`.
- a video: `id` = the video id (11 URL-safe characters, no `#`), as it always was;
- every other entity: `id` = `<kind>#<its own key>` (for example `pet#<pet id>`), so kinds can
  never collide with each other or with a video id.
Attributes that feed an index (below) belong to the entity that index is for: a new kind must not
carry `feed`, `owner_id`/`created_at`, `pending` or `owner_public` unless it wants to appear in those indexes.
Items that should vanish by themselves carry `expires_at` (epoch seconds), the table's TTL.
Items that must go with a video or a person carry `of_video = <video id>` or `of_user = <user id>`
(or both): GSIs `of-video` and `of-user` find them with a Query when the video or the account is
deleted (videos/signals.py: `video_deleted`, `account_deleted`), so nothing outlives its owner.
"""

import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from botocore.exceptions import ClientError
from django.conf import settings
from django.core import signing

from pettube import aws, exceptions

# Global secondary indexes: name → (partition key, sort key), all string attributes, all
# projecting every attribute. Sparse: only items that carry both attributes appear.
INDEXES = {
    "feed": ("feed", "published_at"),
    "by-owner": ("owner_id", "created_at"),
    "pending": ("pending", "due_at"),
    "comments": ("comment_video", "posted_at"),
    "activity": ("activity_day", "activity_at"),
    "outbox": ("outbox", "outbox_at"),
    "review": ("review", "review_at"),
    "owner-public": ("owner_public", "published_at"),
    "pets-of": ("pet_owner", "created_at"),
    "pet-videos": ("pet_feed", "published_at"),
    "species": ("species_feed", "published_at"),
    "search": ("term", "published_at"),
    "of-video": ("of_video", "id"),
    "of-user": ("of_user", "id"),
    "following": ("follows_from", "followed_at"),
    "followers": ("follows_to", "followed_at"),
    "following-feed": ("feed_of", "published_at"),
    "shorts": ("shorts_feed", "published_at"),
    "playlists-of": ("playlist_owner", "created_at"),
}
TTL_ATTRIBUTE = "expires_at"
TRANSACTION_ATTEMPTS = 6
BATCH_GET_LIMIT = 100  # keys per BatchGetItem
BATCH_WRITE_LIMIT = 25  # requests per BatchWriteItem
_CURSOR_SALT = "videos.repository.cursor"  # unchanged, so cursors handed out before stay valid


class InvalidCursor(exceptions.Invalid):
    """A page cursor that was tampered with, or made for another list."""

    def __init__(self, message: str = "This cursor is not valid."):
        super().__init__(message, {"cursor": [message]})


class ConditionFailed(Exception):
    """A conditional write or transaction found the item(s) not in the expected state;
    `failed_actions` are the positions of a transaction's actions whose condition failed."""

    def __init__(self, message: str, failed_actions: list[int] | None = None):
        super().__init__(message)
        self.failed_actions = failed_actions or []


# One action of a TransactWriteItems ({"Put": ...}, {"Update": ...}, {"Delete": ...},
# {"ConditionCheck": ...}, without TableName). Repositories build them; services only pass them on.
Action = dict


@dataclass(frozen=True)
class Entry:
    """An item that lists a video somewhere (a species or pet page, a search term), as the
    repository of the app that owns it made it: its id, and the item (compared whole, to know
    whether it changed)."""

    id: str
    item: dict


def client():
    return aws.client("dynamodb")


def table_name() -> str:
    return settings.PETTUBE_TABLE


def now() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    """A sortable UTC time stamp, as stored in every `*_at` attribute."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_stamp(value: str) -> datetime:
    """The moment a `stamp` names, in UTC. fromisoformat reads a stamp as strptime with its format
    would; strptime's first call compiles its locale's patterns, ~5 M instructions of a cold start."""
    return datetime.fromisoformat(value)


# --- attribute values ---------------------------------------------------------------------------


def s(value: str) -> dict:
    return {"S": value}


def n(value: int | float) -> dict:
    return {"N": str(value)}


def epoch(moment: datetime) -> dict:
    """A moment as epoch seconds (the TTL attribute's format)."""
    return {"N": str(int(moment.timestamp()))}


def key(item_id: str) -> dict:
    return {"id": {"S": item_id}}


# --- pagination -------------------------------------------------------------------------------


def encode_cursor(key: dict, index: str) -> str:
    """DynamoDB's LastEvaluatedKey for `index`, signed: a client can hand it back, not forge it."""
    return signing.dumps({"i": index, "k": key}, salt=_CURSOR_SALT, compress=True)


def decode_cursor(cursor: str, index: str) -> dict:
    """The ExclusiveStartKey a cursor of `index` carries; InvalidCursor when tampered with or
    made for another index."""
    try:
        data = signing.loads(cursor, salt=_CURSOR_SALT)
    except signing.BadSignature as error:
        raise InvalidCursor("This cursor is not valid.") from error
    if not isinstance(data, dict) or data.get("i") != index or not isinstance(data.get("k"), dict):
        raise InvalidCursor("This cursor is not valid.")
    return data["k"]


@dataclass(frozen=True)
class ItemPage:
    """A page of a Query: its items as DynamoDB returned them, and a cursor to the rest."""

    items: list[dict]
    next_cursor: str | None


def query_page(
    index: str,
    condition: str,
    values: dict,
    *,
    limit: int,
    names: dict | None = None,
    filter: str | None = None,
    cursor: str | None = None,
    newest_first: bool = True,
) -> ItemPage:
    """One Query of `index` (its sort key descending unless not `newest_first`), continuing
    after `cursor`. With a `filter`, a page may hold fewer than `limit` items and still have a
    next cursor. Raises InvalidCursor."""
    request = _query(index, condition, values, names=names, limit=limit, newest_first=newest_first)
    if filter:
        request["FilterExpression"] = filter
    if cursor:
        request["ExclusiveStartKey"] = decode_cursor(cursor, index)
    answer = client().query(**request)
    last = answer.get("LastEvaluatedKey")
    return ItemPage(items=answer.get("Items", []), next_cursor=encode_cursor(last, index) if last else None)


def query_all(index: str, condition: str, values: dict, *, names: dict | None = None, page_size: int = 500,
              newest_first: bool = True, projection: str | None = None) -> list[dict]:
    """Every item a Query of `index` finds, page after page (for callers that mean "all")."""
    request = _query(index, condition, values, names=names, limit=page_size, newest_first=newest_first)
    if projection:
        request["ProjectionExpression"] = projection
    items: list[dict] = []
    while True:
        answer = client().query(**request)
        items += answer.get("Items", [])
        if "LastEvaluatedKey" not in answer:
            return items
        request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]


def _query(index: str, condition: str, values: dict, *, names: dict | None, limit: int, newest_first: bool) -> dict:
    request = {
        "TableName": table_name(),
        "IndexName": index,
        "KeyConditionExpression": condition,
        "ExpressionAttributeValues": values,
        "ScanIndexForward": not newest_first,
        "Limit": limit,
    }
    if names:
        request["ExpressionAttributeNames"] = names
    return request


# --- reads ----------------------------------------------------------------------------------


def get(item_id: str, *, consistent: bool = True) -> dict | None:
    """The item `item_id` (a GetItem, consistent unless a page can show a second-old value at
    half the cost), None when there is none."""
    return client().get_item(TableName=table_name(), Key=key(item_id), ConsistentRead=consistent).get("Item")


def get_many(ids: list[str], *, consistent: bool = True) -> dict[str, dict]:
    """The items with these ids that exist, by id: BatchGetItems of BATCH_GET_LIMIT keys (one for
    up to 100 ids; DynamoDB may answer part of them, so what it leaves is asked again), consistent
    unless a page can show a second-old value at half the cost."""
    found: dict[str, dict] = {}
    keys = [key(item_id) for item_id in dict.fromkeys(ids)]
    while keys:
        wanted, keys = keys[:BATCH_GET_LIMIT], keys[BATCH_GET_LIMIT:]
        request = {table_name(): {"Keys": wanted, "ConsistentRead": consistent}}
        answer = client().batch_get_item(RequestItems=request)
        for item in answer.get("Responses", {}).get(table_name(), []):
            found[item["id"]["S"]] = item
        keys += answer.get("UnprocessedKeys", {}).get(table_name(), {}).get("Keys", [])
    return found


def ids_in(index: str, value: str) -> list[str]:
    """The ids of every item an index of the `of-video` kind (partition key, then `id`) holds
    under `value`: what belongs to one video or one person."""
    partition = INDEXES[index][0]
    return [item["id"]["S"] for item in query_all(index, "#p = :v", {":v": s(value)}, names={"#p": partition},
                                                  projection="id", newest_first=False)]


# --- writes -----------------------------------------------------------------------------------


def put_item(**request) -> bool:
    """One PutItem; False when its ConditionExpression does not hold."""
    return _conditional(client().put_item, request) is not None


def update_item(**request) -> dict | None:
    """One UpdateItem; its answer (with `Attributes` when asked for), None when its
    ConditionExpression does not hold."""
    return _conditional(client().update_item, request)


def delete_item(**request) -> bool:
    """One DeleteItem; False when its ConditionExpression does not hold."""
    return _conditional(client().delete_item, request) is not None


def _conditional(operation, request: dict) -> dict | None:
    try:
        return operation(TableName=table_name(), **request)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return None
        raise


def delete_many(ids: list[str]) -> None:
    """Delete the items with these ids (BatchWriteItems of BATCH_WRITE_LIMIT; what DynamoDB
    leaves unprocessed is sent again). Ids that are gone already are no error."""
    _write_many([{"DeleteRequest": {"Key": key(item_id)}} for item_id in dict.fromkeys(ids)])


def put_many(items: list[dict]) -> int:
    """Put `items` (no conditions) with BatchWriteItems of BATCH_WRITE_LIMIT (what DynamoDB leaves
    unprocessed is sent again). Returns how many BatchWriteItems it took."""
    return _write_many([{"PutRequest": {"Item": item}} for item in items])


def _write_many(requests: list[dict]) -> int:
    table, calls = table_name(), 0
    while requests:
        batch, requests = requests[:BATCH_WRITE_LIMIT], requests[BATCH_WRITE_LIMIT:]
        answer = client().batch_write_item(RequestItems={table: batch})
        calls += 1
        if left := answer.get("UnprocessedItems", {}).get(table, []):
            requests = left + requests
            time.sleep(random.uniform(0, 0.05 * min(calls, 8)))  # DynamoDB asks to back off
    return calls


def put_action(item: dict) -> Action:
    return {"Put": {"Item": item}}


def delete_action(item_id: str) -> Action:
    return {"Delete": {"Key": key(item_id)}}


def count_below(item_id: str, *, limit: int, expires: datetime) -> Action:
    """A transaction's action that adds one to the counter item `item_id` (a rate window,
    removed by TTL at `expires`) unless it has reached `limit`: its condition failing is "too many"."""
    return {"Update": {"Key": key(item_id),
                       "ConditionExpression": "attribute_not_exists(#n) OR #n < :limit",
                       "UpdateExpression": f"ADD #n :one SET {TTL_ATTRIBUTE} = :expires",
                       "ExpressionAttributeNames": {"#n": "n"},
                       "ExpressionAttributeValues": {":limit": n(limit), ":one": n(1), ":expires": epoch(expires)}}}


def transact(*actions: dict) -> None:
    """One TransactWriteItems of `actions` ({"Put": {...}}, {"Update": {...}}, {"Delete": ...},
    {"ConditionCheck": ...}, each without TableName): all happen or none. Raises ConditionFailed
    when any action's condition does not hold. A transaction cancelled by a concurrent one on the
    same items is tried again (DynamoDB does not queue them)."""
    items = [{kind: {"TableName": table_name(), **body} for kind, body in action.items()} for action in actions]
    for attempt in range(TRANSACTION_ATTEMPTS):
        try:
            client().transact_write_items(TransactItems=items)
            return
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            codes = [reason.get("Code") for reason in error.response.get("CancellationReasons") or []]
            if "ConditionalCheckFailed" in codes:
                failed = [n for n, code in enumerate(codes) if code == "ConditionalCheckFailed"]
                raise ConditionFailed(str(error), failed) from error
            if "TransactionConflict" not in codes or attempt == TRANSACTION_ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0, 0.02 * 2**attempt))


def try_transact(*actions: Action) -> bool:
    """`transact`, False instead of ConditionFailed when a condition does not hold (a like that is
    there already, a view counted today): nothing was written."""
    try:
        transact(*actions)
    except ConditionFailed:
        return False
    return True


# --- provisioning -----------------------------------------------------------------------------


def ensure_table() -> None:
    """Create the table with every index in INDEXES if missing, add indexes an older table lacks
    (one at a time, as DynamoDB requires), and turn on point-in-time recovery and the TTL.
    Idempotent."""
    dynamodb = client()
    name = table_name()
    try:
        existing = dynamodb.describe_table(TableName=name)["Table"]
    except dynamodb.exceptions.ResourceNotFoundException:
        attributes = {"id"} | {key for pair in INDEXES.values() for key in pair}
        dynamodb.create_table(
            TableName=name,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=_definitions(attributes),
            GlobalSecondaryIndexes=[_index(index) for index in INDEXES],
        )
        _wait(name)
    else:
        present = {index["IndexName"] for index in existing.get("GlobalSecondaryIndexes", [])}
        for index in INDEXES:
            if index not in present:
                dynamodb.update_table(
                    TableName=name,
                    AttributeDefinitions=_definitions(set(INDEXES[index])),
                    GlobalSecondaryIndexUpdates=[{"Create": _index(index)}],
                )
                _wait(name)
    dynamodb.update_continuous_backups(
        TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    if ttl.get("TimeToLiveStatus") not in {"ENABLED", "ENABLING"}:
        dynamodb.update_time_to_live(
            TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE}
        )


def _definitions(attributes: set[str]) -> list[dict]:
    return [{"AttributeName": attribute, "AttributeType": "S"} for attribute in sorted(attributes)]


def _index(index: str) -> dict:
    partition, sort = INDEXES[index]
    return {
        "IndexName": index,
        "KeySchema": [{"AttributeName": partition, "KeyType": "HASH"}, {"AttributeName": sort, "KeyType": "RANGE"}],
        "Projection": {"ProjectionType": "ALL"},
    }


def _wait(name: str) -> None:
    client().get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})


def ping() -> None:
    client().describe_table(TableName=table_name())
