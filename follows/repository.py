"""The only code that talks to DynamoDB about following. Its items in the shared table
(pettube/dynamo.py has the key scheme and the indexes); a followed account, a "target", is
written `pet:<pet id>` or `user:<user id>`:

- `follow#<follower>#<target>`: one person following one account (`followed_at`). It carries
  `follows_from = <follower>` (GSI `following`: what a person follows, newest first) and, unless
  the account was famous when followed, `follows_to = <target>` (GSI `followers`: whom a
  publish fans out to; a famous account's followers are never read, so they stay out of that
  index, and a million of them make no hot index partition).
- `followers#<target>`: the account's `followers` count, written in the same transaction as
  every follow and unfollow (so it equals the follows, as likes do), and `famous_since` once the
  count passed PETTUBE_FOLLOW_FAMOUS_AT.
- `following#<follower>`: `targets`, the set of everything the person follows, written in the
  same transaction too: the Following feed reads it with one GetItem.
- `famous-accounts`: `targets`, the set of every famous account (read rarely: each process keeps
  it FAMOUS_CACHE_SECONDS).
- `feed-entry#<follower>#<video id>`: a video fanned out into a follower's inbox, with
  `feed_of = <follower>` and `published_at` (GSI `following-feed`: the inbox, newest first), and a
  TTL. One per video and follower, whichever of their follows brought it (so a video of a
  followed person showing a followed pet is there once).
- `fanout#<video id>`: a fan-out to do, written by the listings seam in the transaction that
  lists the video; it sits in GSI `pending` under `pending = "fanout"` with `due_at` (claimed
  with a lease, as the worker's videos are), and the transaction that unlists the video deletes it.
"""

import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from pettube import dynamo
from pettube.dynamo import Action

FAMOUS_CACHE_SECONDS = 60
INBOX_DAYS = 90
FANOUT = "fanout"
FAMOUS_ITEM = "famous-accounts"


@dataclass(frozen=True)
class Follow:
    target: str
    followed_at: datetime


def follow_id(follower: str, target: str) -> str:
    return f"follow#{follower}#{target}"


def _counter_id(target: str) -> str:
    return f"followers#{target}"


def _following_id(follower: str) -> str:
    return f"following#{follower}"


# --- following ------------------------------------------------------------------------------


def add(follower: str, target: str, *, now: datetime, famous: bool) -> bool:
    """Record the follow with the account's count and the follower's set, in one transaction;
    False when it is there already."""
    item = {**dynamo.key(follow_id(follower, target)), "follows_from": dynamo.s(follower),
            "target": dynamo.s(target), "followed_at": dynamo.s(dynamo.stamp(now))}
    if not famous:
        item["follows_to"] = dynamo.s(target)
    return dynamo.try_transact(
        {"Put": {"Item": item, "ConditionExpression": "attribute_not_exists(id)"}},
        _count(target, 1),
        _set(follower, "ADD", target),
    )


def remove(follower: str, target: str) -> bool:
    """Take the follow back with the count and the set, in one transaction; False when there was none."""
    return dynamo.try_transact(
        {"Delete": {"Key": dynamo.key(follow_id(follower, target)), "ConditionExpression": "attribute_exists(id)"}},
        _count(target, -1),
        _set(follower, "DELETE", target),
    )


def _count(target: str, delta: int) -> Action:
    return {"Update": {"Key": dynamo.key(_counter_id(target)), "UpdateExpression": "ADD followers :d",
                       "ExpressionAttributeValues": {":d": dynamo.n(delta)}}}


def _set(follower: str, verb: str, target: str) -> Action:
    return {"Update": {"Key": dynamo.key(_following_id(follower)), "UpdateExpression": f"{verb} targets :t",
                       "ExpressionAttributeValues": {":t": {"SS": [target]}}}}


@dataclass(frozen=True)
class Account:
    """What the follow button shows of an account: its count and whether the viewer follows it."""

    followers: int
    following: bool
    famous_since: datetime | None = None


def _account(counter: dict | None, follows: bool) -> Account:
    counter = counter or {}
    famous = counter.get("famous_since", {}).get("S")
    return Account(followers=int(counter.get("followers", {}).get("N", 0)), following=follows,
                   famous_since=dynamo.parse_stamp(famous) if famous else None)


def account(target: str, follower: str | None) -> Account:
    """The account's count and whether `follower` follows it: one GetItem signed out, one
    BatchGetItem signed in."""
    if follower is None:
        return _account(dynamo.get(_counter_id(target), consistent=False), False)
    found = dynamo.get_many([_counter_id(target), follow_id(follower, target)])
    return _account(found.get(_counter_id(target)), follow_id(follower, target) in found)


def counters(targets: list[str]) -> dict[str, Account]:
    """The counts of `targets` (BatchGetItems), by target."""
    found = dynamo.get_many([_counter_id(target) for target in targets])
    return {target: _account(found.get(_counter_id(target)), False) for target in targets}


def following_of(follower: str, *, limit: int, cursor: str | None) -> tuple[list[Follow], str | None]:
    """A page of what `follower` follows, newest first."""
    page = dynamo.query_page("following", "follows_from = :f", {":f": dynamo.s(follower)}, limit=limit,
                             cursor=cursor)
    return ([Follow(target=item["target"]["S"], followed_at=dynamo.parse_stamp(item["followed_at"]["S"]))
             for item in page.items], page.next_cursor)


def targets_of(follower: str) -> frozenset[str]:
    """Everything `follower` follows (one consistent GetItem)."""
    item = dynamo.get(_following_id(follower)) or {}
    return frozenset(item.get("targets", {}).get("SS", []))


def followers_of(target: str) -> list[str]:
    """Everyone following the (not famous) account, page after page of GSI `followers`."""
    items = dynamo.query_all("followers", "follows_to = :t", {":t": dynamo.s(target)}, projection="follows_from")
    return [item["follows_from"]["S"] for item in items]


def forget(user_id: str) -> None:
    """What is left of a deleted person's following: their `following#` set, inbox and counter
    (their follows and followers go one by one first, to keep the counts exact)."""
    entries = dynamo.query_all("following-feed", "feed_of = :f", {":f": dynamo.s(user_id)}, projection="id")
    dynamo.delete_many([_following_id(user_id), _counter_id(f"user:{user_id}"), *(item["id"]["S"] for item in entries)])


def all_following_of(follower: str) -> list[str]:
    """Every account `follower` follows (GSI `following`, page after page)."""
    items = dynamo.query_all("following", "follows_from = :f", {":f": dynamo.s(follower)}, projection="target")
    return [item["target"]["S"] for item in items]


# --- famous accounts ------------------------------------------------------------------------


def make_famous(target: str, *, at_least: int, now: datetime) -> bool:
    """Mark the account famous if it has `at_least` followers and is not yet: it joins the famous
    set first, then its counter says since when (the fan-out reads that). True when this call did it."""
    counter = dynamo.get(_counter_id(target)) or {}
    if int(counter.get("followers", {}).get("N", 0)) < at_least or "famous_since" in counter:
        return False
    dynamo.update_item(Key=dynamo.key(FAMOUS_ITEM), UpdateExpression="ADD targets :t",
                       ExpressionAttributeValues={":t": {"SS": [target]}})
    _famous_cache.add(target)
    return dynamo.update_item(
        Key=dynamo.key(_counter_id(target)), ConditionExpression="attribute_not_exists(famous_since)",
        UpdateExpression="SET famous_since = :now", ExpressionAttributeValues={":now": dynamo.s(dynamo.stamp(now))},
    ) is not None


class _FamousCache:
    """The famous set as this process last read it, for FAMOUS_CACHE_SECONDS: every Following page
    needs it, and one item read by every page would be a hot key."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._targets: frozenset[str] = frozenset()
        self._read_at = float("-inf")

    def get(self) -> frozenset[str]:
        with self._lock:
            if time.monotonic() - self._read_at > FAMOUS_CACHE_SECONDS:
                item = dynamo.get(FAMOUS_ITEM, consistent=False) or {}
                self._targets = frozenset(item.get("targets", {}).get("SS", []))
                self._read_at = time.monotonic()
            return self._targets

    def add(self, target: str) -> None:
        with self._lock:
            self._targets |= {target}


_famous_cache = _FamousCache()


def famous() -> frozenset[str]:
    return _famous_cache.get()


# --- the inbox ------------------------------------------------------------------------------


def inbox(follower: str, *, before: str, limit: int) -> list[tuple[str, str]]:
    """`(published_at, video id)` of the follower's inbox entries published at or before the
    stamp `before`, newest first (one Query)."""
    page = dynamo.query_page("following-feed", "feed_of = :f AND published_at <= :b",
                             {":f": dynamo.s(follower), ":b": dynamo.s(before)}, limit=limit)
    return [(item["published_at"]["S"], item["video"]["S"]) for item in page.items]


def put_entries(followers: list[str], *, video_id: str, published_at: datetime) -> int:
    """Put the video in every follower's inbox (BatchWriteItems); returns how many batches it took."""
    expires = dynamo.epoch(published_at + timedelta(days=INBOX_DAYS))
    stamp = dynamo.s(dynamo.stamp(published_at))
    return dynamo.put_many([
        {**dynamo.key(f"feed-entry#{follower}#{video_id}"), "feed_of": dynamo.s(follower), "published_at": stamp,
         "video": dynamo.s(video_id), dynamo.TTL_ATTRIBUTE: expires}
        for follower in followers
    ])


# --- fan-out jobs ---------------------------------------------------------------------------


def _job_id(video_id: str) -> str:
    return f"fanout#{video_id}"


def job_action(video_id: str, *, now: datetime) -> Action:
    return dynamo.put_action({**dynamo.key(_job_id(video_id)), "pending": dynamo.s(FANOUT),
                              "due_at": dynamo.s(dynamo.stamp(now)), "video": dynamo.s(video_id)})


def cancel_action(video_id: str) -> Action:
    return dynamo.delete_action(_job_id(video_id))


def claim_job(video_id: str, *, lease: timedelta, now: datetime) -> bool:
    """Take the fan-out of `video_id` for `lease`; False when it is done, cancelled or taken."""
    return dynamo.update_item(
        Key=dynamo.key(_job_id(video_id)), ConditionExpression="due_at <= :now",
        UpdateExpression="SET due_at = :lease",
        ExpressionAttributeValues={":now": dynamo.s(dynamo.stamp(now)),
                                   ":lease": dynamo.s(dynamo.stamp(now + lease))},
    ) is not None


def finish_job(video_id: str) -> None:
    dynamo.delete_item(Key=dynamo.key(_job_id(video_id)))


def due_jobs(*, now: datetime) -> list[str]:
    """The videos whose fan-out is due by `now`, oldest first."""
    items = dynamo.query_all("pending", "#p = :p AND due_at <= :now",
                             {":p": dynamo.s(FANOUT), ":now": dynamo.s(dynamo.stamp(now))},
                             names={"#p": "pending"}, projection="video", newest_first=False)
    return [item["video"]["S"] for item in items]
