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
  same transaction too: the Following feed reads it with one GetItem. For an account that was
  famous when followed it also holds `since <target>`, when (its videos are new to the person
  from then on: nothing of it is fanned out to them).
- `famous-accounts`: `targets`, the set of every famous account (read rarely: each process keeps
  it FAMOUS_CACHE_SECONDS).
- `recent#<target>`: a famous account's newest listed videos, what its followers read instead of
  an inbox: `videos`, a set of `<published_at> <video id>` (at most RECENT_SIZE once trimmed),
  `covers` (every video of the account listed from that entry on is in the set; FROM_THE_START:
  all of them) and `famous_since` (its counter's). The worker ADDs each new video to the set, so
  two workers never lose each other's, then trims the oldest past RECENT_SIZE, raising `covers`;
  it is seeded from one Query of the account's newest videos when the account becomes famous (or
  when the worker finds no item). Videos that stopped being listed stay until trimmed (every
  reader checks the videos as they are now).
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
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta

from pettube import dynamo
from pettube.dynamo import Action

FAMOUS_CACHE_SECONDS = 60
INBOX_DAYS = 90
FANOUT = "fanout"
FAMOUS_ITEM = "famous-accounts"
KEPT_AT_MOST = 10_000  # values a Kept holds before it forgets those kept too long
RECENT_SIZE = 50
FROM_THE_START = ("0", "")  # sorts before every (published_at, video id)


@dataclass(frozen=True)
class Follow:
    target: str
    followed_at: datetime


def follow_id(follower: str, target: str) -> str:
    return f"follow#{follower}#{target}"


def _counter_id(target: str) -> str:
    return f"followers#{target}"


def following_id(follower: str) -> str:
    return f"following#{follower}"


def _since(target: str) -> str:
    return f"since {target}"


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
        _set(follower, "ADD", target, since=now if famous else None),
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


def _set(follower: str, verb: str, target: str, *, since: datetime | None = None) -> Action:
    """Add the account to the follower's set or take it out (`verb`), with when they followed it
    if it is famous (`since`)."""
    values = {":t": {"SS": [target]}}
    if since is not None:
        values[":since"] = dynamo.s(dynamo.stamp(since))
    when = "SET #since = :since" if since is not None else "REMOVE #since"
    return {"Update": {"Key": dynamo.key(following_id(follower)), "UpdateExpression": f"{verb} targets :t {when}",
                       "ExpressionAttributeNames": {"#since": _since(target)}, "ExpressionAttributeValues": values}}


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
    return _targets(dynamo.get(following_id(follower)) or {})


def _targets(item: dict) -> frozenset[str]:
    return frozenset(item.get("targets", {}).get("SS", []))


@dataclass(frozen=True)
class Following:
    """Everything a person follows, and since when they follow those that were famous then."""

    targets: frozenset[str]
    since: dict[str, str]  # target → a stamp


def following_in(found: dict[str, dict], follower: str) -> Following:
    """What `follower` follows, from items read by id (their `following#` item, if among them)."""
    item = found.get(following_id(follower), {})
    targets = _targets(item)
    return Following(targets=targets, since={target: item[_since(target)]["S"] for target in targets
                                             if _since(target) in item})


def followings(followers: list[str]) -> dict[str, Following]:
    """What each of `followers` follows (eventually consistent BatchGetItems of their `following#`
    items: for a daily batch), by follower."""
    found = dynamo.get_many([following_id(follower) for follower in followers], consistent=False)
    return {follower: following_in(found, follower) for follower in followers}


def followers_of(target: str) -> list[str]:
    """Everyone following the (not famous) account, page after page of GSI `followers`."""
    items = dynamo.query_all("followers", "follows_to = :t", {":t": dynamo.s(target)}, projection="follows_from")
    return [item["follows_from"]["S"] for item in items]


def forget(user_id: str) -> None:
    """What is left of a deleted person's following: their `following#` set, inbox, counter and
    recent videos (their follows and followers go one by one first, to keep the counts exact)."""
    entries = dynamo.query_all("following-feed", "feed_of = :f", {":f": dynamo.s(user_id)}, projection="id")
    dynamo.delete_many([following_id(user_id), _counter_id(f"user:{user_id}"), _recent_id(f"user:{user_id}"),
                        *(item["id"]["S"] for item in entries)])


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
    _famous.put(FAMOUS_ITEM, famous() | {target})
    return dynamo.update_item(
        Key=dynamo.key(_counter_id(target)), ConditionExpression="attribute_not_exists(famous_since)",
        UpdateExpression="SET famous_since = :now", ExpressionAttributeValues={":now": dynamo.s(dynamo.stamp(now))},
    ) is not None


class Kept:
    """What this process read in the last `seconds`, by key: what every reader reads alike (the
    famous set, a famous account's recent videos, their videos' state), kept so that a million
    followers reading at once make no hot key. Threads may share it (two may read the same stale
    key at once)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._lock = threading.Lock()
        self._values: dict[Hashable, tuple[float, object]] = {}

    def read(self, keys: list, read: Callable[[list], dict]) -> dict:
        """The values of those `keys` that have one, by key: the ones not kept (or kept too long)
        read with one call of `read` (which answers those it finds, by key)."""
        now = time.monotonic()
        with self._lock:
            values = {key: self._values.get(key) for key in dict.fromkeys(keys)}
        stale = [key for key, kept in values.items() if not self._fresh(kept, now)]
        if stale:
            found = read(stale)
            self._put({key: found.get(key) for key in stale}, now)
            values.update((key, (now, found.get(key))) for key in stale)
        return {key: kept[1] for key, kept in values.items() if kept[1] is not None}

    def put(self, key: Hashable, value: object) -> None:
        self._put({key: value}, time.monotonic())

    def _put(self, values: dict, now: float) -> None:
        with self._lock:
            if len(self._values) > KEPT_AT_MOST:
                self._values = {key: kept for key, kept in self._values.items() if self._fresh(kept, now)}
            self._values.update((key, (now, value)) for key, value in values.items())

    def _fresh(self, kept: tuple[float, object] | None, now: float) -> bool:
        return kept is not None and now - kept[0] < self.seconds

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


# The famous set: every Following page needs it, and one item read by every page would be a hot key.
_famous = Kept(FAMOUS_CACHE_SECONDS)


def famous() -> frozenset[str]:
    return _famous.read([FAMOUS_ITEM], _read_famous)[FAMOUS_ITEM]


def _read_famous(_ids: list[str]) -> dict[str, frozenset[str]]:
    item = dynamo.get(FAMOUS_ITEM, consistent=False) or {}
    return {FAMOUS_ITEM: frozenset(item.get("targets", {}).get("SS", []))}


# --- a famous account's recent videos -------------------------------------------------------


Entry = tuple[str, str]  # (published_at, video id): how the feed orders videos


@dataclass(frozen=True)
class Recent:
    """A famous account's newest videos as the worker recorded them, newest first: every video of
    the account listed at or after `covers` is among them (older ones may be missing)."""

    entries: tuple[Entry, ...]
    covers: Entry
    famous_since: str


def _recent_id(target: str) -> str:
    return f"recent#{target}"


def _entry_value(entry: Entry) -> str:
    return " ".join(entry)


def _entry(value: str) -> Entry:
    stamp, _, video_id = value.partition(" ")
    return stamp, video_id


def _recent(item: dict) -> Recent:
    return Recent(entries=tuple(sorted((_entry(value) for value in item.get("videos", {}).get("SS", [])),
                                       reverse=True)),
                  covers=_entry(item["covers"]["S"]), famous_since=item["famous_since"]["S"])


def recent(targets: list[str]) -> dict[str, Recent]:
    """The recent videos of those of the famous `targets` that have them, by target: one eventually
    consistent BatchGetItem (for up to 100)."""
    found = dynamo.get_many([_recent_id(target) for target in targets], consistent=False)
    return {target: _recent(found[_recent_id(target)]) for target in targets if _recent_id(target) in found}


def add_recent(target: str, entry: Entry, *, famous_since: datetime) -> bool:
    """Add a video to the famous account's recent ones (a set ADD: a video added at once by
    another worker stays) and trim them to RECENT_SIZE. True when nothing older is known yet (the
    item is new): then it wants seeding."""
    answer = dynamo.update_item(
        Key=dynamo.key(_recent_id(target)),
        UpdateExpression="ADD videos :v SET covers = if_not_exists(covers, :e), "
                         "famous_since = if_not_exists(famous_since, :since)",
        ExpressionAttributeValues={":v": {"SS": [_entry_value(entry)]}, ":e": dynamo.s(_entry_value(entry)),
                                   ":since": dynamo.s(dynamo.stamp(famous_since))},
        ReturnValues="ALL_NEW",
    )
    recent = _recent(answer["Attributes"])
    _trim(target, recent)
    return recent.covers == entry


def seed_recent(target: str, newest: list[Entry], *, complete: bool, famous_since: datetime) -> None:
    """Put the famous account's `newest` videos (a Query's, newest first; `complete`: all it has)
    among its recent ones, covering from the oldest of them on (unless what is there covers more)."""
    covers = FROM_THE_START if complete or not newest else newest[-1]
    values = {":c": dynamo.s(_entry_value(covers)), ":since": dynamo.s(dynamo.stamp(famous_since))}
    update = "SET covers = :c, famous_since = :since"
    if newest:
        update, values[":v"] = f"{update} ADD videos :v", {"SS": [_entry_value(entry) for entry in newest]}
    answer = dynamo.update_item(
        Key=dynamo.key(_recent_id(target)), ConditionExpression="attribute_not_exists(covers) OR covers >= :c",
        UpdateExpression=update, ExpressionAttributeValues=values, ReturnValues="ALL_NEW",
    )
    if answer is not None:
        _trim(target, _recent(answer["Attributes"]))


def _trim(target: str, recent: Recent) -> None:
    """Take the videos past RECENT_SIZE out, and say the rest covers from its oldest on (only
    raising `covers`: a trim that raced a larger one changes nothing)."""
    if len(recent.entries) <= RECENT_SIZE:
        return
    kept, dropped = recent.entries[:RECENT_SIZE], recent.entries[RECENT_SIZE:]
    dynamo.update_item(
        Key=dynamo.key(_recent_id(target)), ConditionExpression="covers <= :c",
        UpdateExpression="SET covers = :c DELETE videos :old",
        ExpressionAttributeValues={":c": dynamo.s(_entry_value(kept[-1])),
                                   ":old": {"SS": [_entry_value(entry) for entry in dropped]}},
    )


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
