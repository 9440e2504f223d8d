"""Following pets and people, and the Following feed.

A follow and the account's follower count change in one conditional transaction (as likes do),
so however often it is repeated or raced the count equals the follows.

The feed is hybrid (docs/FOLLOWING.md has the cost model): when a video is listed, the worker
copies its id into the inbox of every follower of its owner and its pets (fan-out on write, in
batches, never in a web request), except for famous accounts (PETTUBE_FOLLOW_FAMOUS_AT followers
or more): it adds their videos to one item per famous account, its recent videos, which each
reader merges in at read time (fan-out on read: one BatchGetItem for all the famous accounts
they follow). Every video a page would show is checked against the video as it is now, so a
video made private, unlisted, hidden, deleted, untagged from the followed pet, or from an
account no longer followed, never shows.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing

from follows import repository
from follows.repository import Account, Entry, Recent
from notifications import services as notifications
from pets import services as pets
from pettube import dynamo, exceptions
from videos import services as videos
from videos.domain import Page, Video

log = logging.getLogger("pettube.follows")

PET, USER = "pet", "user"
MAX_FOLLOWS = 2000  # what one person follows is one item (the feed reads it with one GetItem)
FANOUT_LEASE = timedelta(minutes=5)
# The worker still fans out a newly famous account's videos while every process's cached famous
# set may not list it yet, so no follower misses one meanwhile.
FAMOUS_SETTLING = timedelta(seconds=2 * repository.FAMOUS_CACHE_SECONDS)
FIRST_PAGE = "9999"  # sorts after every time stamp
FAMOUS_PAGE_SECONDS = 10
_CURSOR_SALT = "follows.feed.cursor"


class NotFound(exceptions.NotFound):
    def __init__(self, message: str = "Nothing to follow here."):
        super().__init__(message)


class CannotFollow(exceptions.Invalid):
    def __init__(self, message: str):
        super().__init__(message, {"target": [message]})


def target(kind: str, target_id: str) -> str:
    return f"{kind}:{target_id}"


def split(target_key: str) -> tuple[str, str]:
    kind, _, target_id = target_key.partition(":")
    return kind, target_id


# --- following ------------------------------------------------------------------------------


def _followable(kind: str, target_id: str, follower: str) -> None:
    """Raise NotFound for an account that does not exist, CannotFollow for one's own."""
    if kind == PET:
        try:
            pet = pets.get_pet(pet_id=target_id)
        except pets.NotFound:
            raise NotFound("No such pet.") from None
        if pet.owner_id == follower:
            raise CannotFollow("You cannot follow your own pet.")
        return
    if not target_id.isdigit() or not get_user_model().objects.filter(pk=int(target_id), is_active=True).exists():
        raise NotFound("No such person.")
    if target_id == follower:
        raise CannotFollow("You cannot follow yourself.")


def follow(*, kind: str, target_id: str, follower: str, now: datetime | None = None) -> Account:
    """`follower` follows the pet or person (again: no change). Raises NotFound, CannotFollow."""
    _followable(kind, target_id, follower)
    key, now = target(kind, target_id), now or dynamo.now()
    if len(repository.targets_of(follower)) >= MAX_FOLLOWS:
        raise CannotFollow(f"You can follow at most {MAX_FOLLOWS} pets and people.")
    famous = key in repository.famous()
    if (repository.add(follower, key, now=now, famous=famous) and not famous
            and repository.make_famous(key, at_least=settings.PETTUBE_FOLLOW_FAMOUS_AT, now=now)):
        _seed_recent(key, famous_since=now)
    return repository.account(key, follower)


def unfollow(*, kind: str, target_id: str, follower: str) -> Account:
    """`follower` stops following (not following: no change). Raises NotFound."""
    _followable(kind, target_id, follower)
    key = target(kind, target_id)
    repository.remove(follower, key)
    return repository.account(key, follower)


def account(*, kind: str, target_id: str, viewer: str | None) -> Account:
    """The follower count of a pet or person, and whether `viewer` follows it."""
    return repository.account(target(kind, target_id), viewer)


@dataclass(frozen=True)
class Followed:
    kind: str
    id: str
    name: str
    followers: int
    followed_at: datetime


def following(*, follower: str, cursor: str | None, limit: int = videos.PAGE_SIZE) -> tuple[list[Followed], str | None]:
    """A page of what `follower` follows, newest first, with names and counts (pets and people
    that are gone are left out). Raises dynamo.InvalidCursor."""
    follows, next_cursor = repository.following_of(follower, limit=limit, cursor=cursor)
    targets = [follow.target for follow in follows]
    counts = repository.counters(targets) if targets else {}
    names = _names(targets)
    return [Followed(kind=split(follow.target)[0], id=split(follow.target)[1], name=names[follow.target],
                     followers=counts[follow.target].followers, followed_at=follow.followed_at)
            for follow in follows if follow.target in names], next_cursor


def _names(targets: list[str]) -> dict[str, str]:
    pet_ids = [split(key)[1] for key in targets if split(key)[0] == PET]
    user_ids = [int(split(key)[1]) for key in targets if split(key)[0] == USER]
    names = {target(PET, pet.id): pet.name for pet in pets.pets_by_id(pet_ids=pet_ids)} if pet_ids else {}
    for person in get_user_model().objects.filter(pk__in=user_ids, is_active=True):
        names[target(USER, str(person.pk))] = person.display_name
    return names


def forget_person(*, user_id: str, **_) -> None:
    """A deleted account follows nothing and nobody follows it any more (the followers of a famous
    account are not indexed: their follows of it are left, and show nothing), and its inbox goes.
    Idempotent: a deletion run again finds less to do."""
    for followed in repository.all_following_of(user_id):
        repository.remove(user_id, followed)
    for follower in repository.followers_of(target(USER, user_id)):
        repository.remove(follower, target(USER, user_id))
    repository.forget(user_id)


# --- the Following feed ---------------------------------------------------------------------


def sources(video: Video) -> list[str]:
    """The accounts whose followers see `video`: its owner and its pets."""
    return [target(USER, video.owner_id), *(target(PET, tag.id) for tag in video.pets)]


def feed_page(*, user_id: str, cursor: str | None = None, limit: int = videos.PAGE_SIZE) -> Page:
    """A page of the public ready videos of what `user_id` follows, newest first, each once: the
    inbox (one Query) merged with the recent videos of the famous accounts followed (one
    BatchGetItem for all, kept a few seconds by each process; a Query for an account only on a
    page older than they cover), then checked against the videos as they are (one BatchGetItem).
    Raises dynamo.InvalidCursor."""
    after = _decode(cursor)
    follows = repository.targets_of(user_id)
    if not follows:
        return Page(items=[], next_cursor=None)
    entries = repository.inbox(user_id, before=after[0], limit=limit + 1)
    found, more = set(entries), len(entries) > limit
    famous = sorted(follows & repository.famous())
    recent = recent_of(famous)
    for account in famous:
        listed = _newest_of(account, recent.get(account), after=after, limit=limit + 1)
        found |= set(listed)
        more = more or len(listed) > limit
    candidates = sorted((entry for entry in found if entry < after), reverse=True)
    shown, more = candidates[:limit], more or len(candidates) > limit
    current = videos.videos_by_id(video_ids=[video_id for _, video_id in shown]) if shown else {}
    items = [current[video_id] for _, video_id in shown
             if video_id in current and current[video_id].listed and follows & set(sources(current[video_id]))]
    return Page(items=items, next_cursor=_encode(shown[-1]) if more and shown else None)


_recent = repository.Kept(FAMOUS_PAGE_SECONDS)
_newest = repository.Kept(FAMOUS_PAGE_SECONDS)


def recent_of(accounts: list[str]) -> dict[str, Recent]:
    """The recent videos of those famous `accounts` that have them (the worker writes them), by
    account: one BatchGetItem for those this process has not read in FAMOUS_PAGE_SECONDS."""
    return _recent.read(accounts, repository.recent)


def _newest_of(account: str, recent: Recent | None, *, after: Entry, limit: int) -> list[Entry]:
    """`(published_at, video id)` of the famous account's newest videos before `after`, at most
    `limit`: its recent videos, where they cover that far; else one Query."""
    if recent is not None:
        known = [entry for entry in recent.entries if recent.covers <= entry < after]
        if len(known) >= limit or recent.covers == repository.FROM_THE_START:
            return known[:limit]
    return famous_videos(account, before=after[0], limit=limit)


def famous_videos(account: str, *, before: str, limit: int) -> list[Entry]:
    """`(published_at, video id)` of an account's newest listed videos at or before the stamp
    `before` (one Query). Its first page, read when its recent videos are not written yet, is the
    same for each of its followers: each process keeps it FAMOUS_PAGE_SECONDS."""
    if before != FIRST_PAGE:
        return _query_newest(account, before=before, limit=limit)
    key = (account, limit)
    return _newest.read([key], lambda _: {key: _query_newest(account, before=before, limit=limit)})[key]


def _query_newest(account: str, *, before: str, limit: int) -> list[Entry]:
    kind, account_id = split(account)
    if kind == PET:
        listed = pets.pet_videos_before(pet_id=account_id, before=before, limit=limit)
    else:
        listed = videos.public_videos_before(owner_id=account_id, before=before, limit=limit)
    return [(dynamo.stamp(video.published_at), video.id) for video in listed]


def _seed_recent(account: str, *, famous_since: datetime) -> None:
    """Put a famous account's newest videos (one Query) among its recent ones, so that its
    followers' feeds, which read them there from now on, miss none published before."""
    newest = _query_newest(account, before=FIRST_PAGE, limit=repository.RECENT_SIZE)
    repository.seed_recent(account, newest, complete=len(newest) < repository.RECENT_SIZE, famous_since=famous_since)


def _encode(position: tuple[str, str]) -> str:
    return signing.dumps(list(position), salt=_CURSOR_SALT)


def _decode(cursor: str | None) -> tuple[str, str]:
    """The (stamp, video id) a page starts after; the first page starts after everything."""
    if not cursor:
        return (FIRST_PAGE, "")
    try:
        position = signing.loads(cursor, salt=_CURSOR_SALT)
    except signing.BadSignature:
        raise dynamo.InvalidCursor() from None
    if not (isinstance(position, list) and len(position) == 2 and all(isinstance(part, str) for part in position)):
        raise dynamo.InvalidCursor()
    return position[0], position[1]


# --- fan-out (the worker) -------------------------------------------------------------------


def fan_out_actions(old: Video | None, new: Video | None) -> list[dynamo.Action]:
    """For the listings seam: a video that becomes listed gets a fan-out to do, written with it;
    one that stops being listed has any fan-out still to do cancelled with it."""
    was, now_listed = old is not None and old.listed, new is not None and new.listed
    if now_listed and not was:
        return [repository.job_action(new.id, now=dynamo.now())]
    if was and not now_listed:
        return [repository.cancel_action(old.id)]
    return []


@dataclass(frozen=True)
class FanOut:
    """What one video's fan-out did: whom it reached, and in how many batch writes."""

    followers: list[str]
    batches: int


def fan_out(*, video_id: str, now: datetime | None = None) -> FanOut | None:
    """Copy a listed video into the inbox of every follower of its owner and pets that are not
    famous (settled), in batches, and count it as new for those who followed them while they were
    not famous (their unseen count and digest: notifications); add it to the recent videos of
    those that are famous (their followers find it there, and news.py tells them it is new).
    None when the fan-out is not due (done, cancelled, or another worker has it)."""
    now = now or dynamo.now()
    if not repository.claim_job(video_id, lease=FANOUT_LEASE, now=now):
        return None
    video = videos.videos_by_id(video_ids=[video_id]).get(video_id)
    done = FanOut(followers=[], batches=0)
    if video is not None and video.listed:
        accounts = repository.counters(sources(video))
        famous = {account: counter.famous_since for account, counter in accounts.items() if counter.famous_since}
        reached = {account: repository.followers_of(account) for account in accounts
                   if account not in famous or famous[account] >= now - FAMOUS_SETTLING}
        followers = sorted(set().union(*reached.values()) - {video.owner_id})
        done = FanOut(followers=followers, batches=repository.put_entries(followers, video_id=video.id,
                                                                          published_at=video.published_at))
        told = set().union(*(reached[account] for account in reached
                             if account not in famous or famous[account] > video.published_at))
        notifications.new_video(video=video, recipients=sorted(told - {video.owner_id}), now=now)
        for account, since in famous.items():
            if repository.add_recent(account, (dynamo.stamp(video.published_at), video.id), famous_since=since):
                _seed_recent(account, famous_since=since)
    repository.finish_job(video_id)
    log.info("fanned out", extra={"video_id": video_id, "followers": len(done.followers)})
    return done


def fan_out_due(*, now: datetime | None = None) -> int:
    """Every fan-out whose time has come (videos listed by an edit, and any a worker left): one
    failing never stops the others. Returns how many ran."""
    now = now or dynamo.now()
    ran = 0
    for video_id in repository.due_jobs(now=now):
        try:
            ran += fan_out(video_id=video_id, now=now) is not None
        except Exception:
            log.exception("fan-out failed; it will be tried again", extra={"video_id": video_id})
    return ran
