"""The door to video items in the shared table: reads, the guarded state changes, and the one
transaction that saves a video with its listings. Items are mapped by videos/items.py;
pettube/dynamo.py has the table, its key scheme and indexes.

Its indexes:
- primary key `id`: GetItem, PutItem, UpdateItem, DeleteItem for one video.
- GSI `feed` (`feed`, `published_at`): sparse; only ready public videos carry `feed = "public"`.
  Query newest first for the home page.
- GSI `owner-public` (`owner_public`, `published_at`): sparse; only a person's ready public
  videos carry `owner_public = <owner id>`. Their profile page, newest first.
- GSI `by-owner` (`owner_id`, `created_at`): a person's videos in every status, newest first.
- GSI `pending` (`pending`, `due_at`): sparse; only `uploading` and `processing` videos carry
  `pending = <status>`, and `due_at` is when the sweeper should look at them (upload expiry,
  end of the processing lease). Ready and failed videos leave this index.
Every status change is an UpdateItem with a ConditionExpression on the current status, so a
duplicate or late event cannot move a video backwards; a failed condition returns None.
`save` writes a video with the entries that list it elsewhere in one transaction, conditioned on
`updated_at` as read, which every write changes (videos/listings.py says what goes in it).
"""

import json
from dataclasses import replace
from datetime import datetime, timedelta

from pettube import dynamo
from pettube.dynamo import Action, Entry
from videos.domain import FAILED, PRIVATE, PROCESSING, READY, UPLOADING, EncodingPlan, Page, Rendition, Video
from videos.items import FEED, JOBS, JOBS_DONE, from_item, to_item


class FirstRefused(dynamo.ConditionFailed):
    """`save`'s `first` action refused (an upload start over its hour's limit): nothing was saved."""


# --- reads ----------------------------------------------------------------------------------


def get(video_id: str) -> Video | None:
    item = dynamo.get(video_id)
    return from_item(item) if item else None


def get_along(video_id: str, *, others: list[str]) -> tuple[Video | None, dict[str, dict]]:
    """The video and those of the `others` (ids of other apps' items) that exist, by id, as
    items for their own repositories to read: one BatchGetItem."""
    found = dynamo.get_many([video_id, *others])
    video = found.pop(video_id, None)
    return (from_item(video) if video else None), found


def many(video_ids: list[str]) -> dict[str, Video]:
    """The videos among `video_ids` that exist, by id (consistent BatchGetItems of 100)."""
    return {video_id: from_item(item) for video_id, item in dynamo.get_many(video_ids).items()}


def public_by_owner_before(owner_id: str, *, before: str, limit: int) -> list[Video]:
    """`owner_id`'s ready public videos published at or before `before` (a stamp), newest first:
    one Query of `owner-public`."""
    page = dynamo.query_page("owner-public", "#p = :p AND #t <= :before",
                             {":p": dynamo.s(owner_id), ":before": dynamo.s(before)},
                             names={"#p": "owner_public", "#t": "published_at"}, limit=limit)
    return [from_item(item) for item in page.items]


def published_since(since: datetime) -> list[Video]:
    """Every public ready video published since `since`, newest first (Queries on `feed`)."""
    items = dynamo.query_all(
        "feed", "#p = :p AND #t >= :since", {":p": dynamo.s(FEED), ":since": dynamo.s(dynamo.stamp(since))},
        names={"#p": "feed", "#t": "published_at"},
    )
    return [from_item(item) for item in items]


def feed(*, limit: int, cursor: str | None = None) -> Page:
    return _query("feed", "feed", FEED, limit=limit, cursor=cursor)


def by_owner(owner_id: str, *, limit: int, cursor: str | None = None) -> Page:
    """`owner_id`'s videos in every status, newest first."""
    return _query("by-owner", "owner_id", owner_id, limit=limit, cursor=cursor)


def public_by_owner(owner_id: str, *, limit: int, cursor: str | None = None) -> Page:
    """`owner_id`'s ready public videos, newest published first: full pages, and cursors that
    only ever name a public video."""
    return _query("owner-public", "owner_public", owner_id, limit=limit, cursor=cursor)


def due(status: str, *, now: datetime, cursor: str | None = None, limit: int = 100) -> Page:
    """A page of videos in `status` (uploading or processing) whose due time has passed, oldest
    first; `next_cursor` leads to the rest."""
    page = dynamo.query_page(
        "pending", "#p = :p AND #d <= :now", {":p": dynamo.s(status), ":now": dynamo.s(dynamo.stamp(now))},
        names={"#p": "pending", "#d": "due_at"}, limit=limit, cursor=cursor, newest_first=False,
    )
    return Page(items=[from_item(item) for item in page.items], next_cursor=page.next_cursor)


def _query(index: str, partition: str, value: str, *, limit: int, cursor: str | None) -> Page:
    page = dynamo.query_page(index, "#p = :p", {":p": dynamo.s(value)}, names={"#p": partition}, limit=limit,
                             cursor=cursor)
    return Page(items=[from_item(item) for item in page.items], next_cursor=page.next_cursor)


# --- the video with its listings --------------------------------------------------------------


def save(old: Video | None, new: Video | None, *, put: list[Entry] = (), remove: list[str] = (),
         also: list[Action] = (), first: Action | None = None) -> None:
    """Move a video from `old` (None: a new video) to `new` (None: delete it), putting the
    entries `put` and deleting the entries `remove` (ids), with the other apps' actions `also`,
    in one transaction; `first`, when given, goes first (an upload start's counter). Raises
    FirstRefused when only `first`'s condition fails, dynamo.ConditionFailed when the video is no
    longer `old` or another action's condition fails."""
    if old is None:
        video = {"Put": {"Item": to_item(new), "ConditionExpression": "attribute_not_exists(id)"}}
    elif new is None:
        video = {"Delete": {"Key": dynamo.key(old.id), "ConditionExpression": "updated_at = :was",
                            "ExpressionAttributeValues": {":was": dynamo.s(dynamo.stamp(old.updated_at))}}}
    else:
        video = _update_action(old, new)
    try:
        dynamo.transact(
            *([first] if first else []),
            video,
            *(dynamo.put_action(entry.item) for entry in put),
            *(dynamo.delete_action(entry_id) for entry_id in remove),
            *also,
        )
    except dynamo.ConditionFailed as failed:
        if first and failed.failed_actions == [0]:
            raise FirstRefused(str(failed), failed.failed_actions) from failed
        raise


def _update_action(old: Video, new: Video) -> Action:
    """Turn the item of `old` into `new`'s, only if nobody wrote it since `old` was read."""
    before, after = to_item(old), to_item(new)
    changed = sorted(name for name in after if before.get(name) != after[name])
    removed = sorted(name for name in before if name not in after)
    names = {f"#a{number}": name for number, name in enumerate(changed + removed)}
    aliases = {name: alias for alias, name in names.items()}
    clauses = []
    if changed:
        clauses.append("SET " + ", ".join(f"{aliases[name]} = :a{aliases[name][2:]}" for name in changed))
    if removed:
        clauses.append("REMOVE " + ", ".join(aliases[name] for name in removed))
    return {
        "Update": {
            "Key": dynamo.key(old.id),
            "ConditionExpression": "updated_at = :was",
            "UpdateExpression": " ".join(clauses),
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": {":was": before["updated_at"]}
            | {f":a{aliases[name][2:]}": after[name] for name in changed},
        }
    }


def with_rendition(video: Video, rendition: Rendition, *, now: datetime) -> Video:
    """`video` as it is once ready with `rendition`: published now, out of the sweeper's way."""
    return replace(video, **rendition.__dict__, status=READY, published_at=now, updated_at=now, due_at=None, error="",
                   live_segments=None)


def counter_action(video_id: str, *, counter: str, delta: int, watchable: bool = False) -> Action:
    """A transaction action adding `delta` to the ready video's `counter` (likes, views); its
    condition fails when the video is gone or not ready, and with `watchable` also when it is
    private or hidden."""
    condition, names, values = "attribute_exists(id) AND #s = :ready", {"#s": "status", "#c": counter}, {}
    if watchable:
        condition += " AND #v <> :private AND attribute_not_exists(hidden_at)"
        names["#v"], values[":private"] = "visibility", dynamo.s(PRIVATE)
    return {
        "Update": {
            "Key": dynamo.key(video_id),
            "ConditionExpression": condition,
            "UpdateExpression": "ADD #c :delta",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": {":ready": dynamo.s(READY), ":delta": dynamo.n(delta), **values},
        }
    }


# --- state changes --------------------------------------------------------------------------


def claim(video_id: str, *, lease: timedelta, now: datetime | None = None) -> Video | None:
    """Move an uploading video, or a processing one whose lease has run out, to processing
    under a new lease. Exactly one of several concurrent callers wins; the others get None."""
    now = now or dynamo.now()
    return _transition(
        video_id,
        condition="#s = :uploading OR (#s = :processing AND #d <= :now)",
        update="SET #s = :processing, #p = :processing, #d = :lease, updated_at = :now ADD attempts :one "
        "REMOVE playable_at, encoded_seconds, live_segments",
        names={"#s": "status", "#p": "pending", "#d": "due_at"},
        values={
            ":uploading": dynamo.s(UPLOADING),
            ":processing": dynamo.s(PROCESSING),
            ":now": dynamo.s(dynamo.stamp(now)),
            ":lease": dynamo.s(dynamo.stamp(now + lease)),
            ":one": dynamo.n(1),
        },
    )


def release(video_id: str, *, reason: str, now: datetime | None = None) -> Video | None:
    """End this attempt without a verdict: the lease expires now, so the sweeper retries."""
    now = now or dynamo.now()
    return _transition(
        video_id,
        condition="#s = :processing",
        update="SET #d = :now, updated_at = :now, #e = :reason",
        names={"#s": "status", "#d": "due_at", "#e": "error"},
        values={":processing": dynamo.s(PROCESSING), ":now": dynamo.s(dynamo.stamp(now)), ":reason": dynamo.s(reason)},
    )


def postpone(video_id: str, *, status: str, due_at: datetime) -> Video | None:
    """Move the sweeper's next look at a video still in `status` to `due_at`."""
    return _transition(
        video_id,
        condition="#s = :s",
        update="SET #d = :due",
        names={"#s": "status", "#d": "due_at"},
        values={":s": dynamo.s(status), ":due": dynamo.s(dynamo.stamp(due_at))},
    )


def mark_failed(video_id: str, *, reason: str, now: datetime | None = None) -> Video | None:
    now = now or dynamo.now()
    return _transition(
        video_id,
        condition="#s IN (:uploading, :processing)",
        update="SET #s = :failed, #e = :reason, updated_at = :now REMOVE #p, #d, live_segments",
        names={"#s": "status", "#e": "error", "#p": "pending", "#d": "due_at"},
        values={
            ":uploading": dynamo.s(UPLOADING),
            ":processing": dynamo.s(PROCESSING),
            ":failed": dynamo.s(FAILED),
            ":reason": dynamo.s(reason[:500]),
            ":now": dynamo.s(dynamo.stamp(now)),
        },
    )


def upload_completed(video_id: str, *, upload_id: str) -> Video | None:
    """Forget the multipart upload `upload_id` once S3 has assembled it (the object exists now,
    so the sweeper may look for it); None when the video moved on or is gone."""
    return _transition(
        video_id, condition="#u = :u", update="REMOVE #u", names={"#u": "upload_id"}, values={":u": dynamo.s(upload_id)}
    )


def start_encoding(video_id: str, *, attempt: int, plan: EncodingPlan) -> Video | None:
    """Record the plan of `attempt` (None when the video was deleted or another attempt owns it)."""
    return _transition(
        video_id,
        condition="#s = :processing AND attempts = :attempt",
        update="SET #dur = :duration, source_fps = :fps, rungs = :rungs, has_audio = :audio, "
        "chunk_seconds = :chunk, #jobs = :jobs, #done = :zero, encoded_seconds = :zero, source_size = :size",
        names={"#s": "status", "#dur": "duration", "#jobs": JOBS, "#done": JOBS_DONE},
        values={
            ":processing": dynamo.s(PROCESSING),
            ":attempt": dynamo.n(attempt),
            ":duration": dynamo.n(plan.duration),
            ":fps": dynamo.n(plan.source_fps or 0),
            ":rungs": dynamo.s(plan.rungs),
            ":audio": dynamo.n(1 if plan.has_audio else 0),
            ":chunk": dynamo.n(plan.chunk_seconds),
            ":jobs": dynamo.n(plan.jobs),
            ":zero": dynamo.n(0),
            ":size": dynamo.n(plan.source_size),
        },
    )


def record_progress(video_id: str, *, attempt: int, encoded_seconds: float, playable: bool,
                    live_segments: dict[str, list[float]] | None = None) -> bool:
    """Add `encoded_seconds` to the attempt's progress, mark it playable, and replace the live
    segments (`{"video": [seconds, ...], "audio": [...]}`) when given. False when the video was
    deleted or another attempt owns it: the caller stops encoding."""
    sets = []
    values = {":processing": dynamo.s(PROCESSING), ":attempt": dynamo.n(attempt),
              ":seconds": {"N": f"{encoded_seconds:.3f}"}}
    if playable:
        sets.append("playable_at = if_not_exists(playable_at, :now)")
        values[":now"] = dynamo.s(dynamo.stamp(dynamo.now()))
    if live_segments is not None:
        sets.append("live_segments = :live")
        values[":live"] = dynamo.s(json.dumps(live_segments, separators=(",", ":")))
    answer = dynamo.update_item(
        Key=dynamo.key(video_id),
        ConditionExpression="attribute_exists(id) AND #s = :processing AND attempts = :attempt",
        UpdateExpression="ADD encoded_seconds :seconds" + (" SET " + ", ".join(sets) if sets else ""),
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues=values,
    )
    return answer is not None


def count_job_done(video_id: str, *, attempt: int) -> Video | None:
    """Count one more encoding job of `attempt` done. The video as it is then (the job that sees
    `jobs_done == jobs` finished last and publishes it), None when the video was deleted or
    another attempt owns it."""
    return _transition(
        video_id,
        condition="#s = :processing AND attempts = :attempt",
        update="ADD #done :one",
        names={"#s": "status", "#done": JOBS_DONE},
        values={":processing": dynamo.s(PROCESSING), ":attempt": dynamo.n(attempt), ":one": dynamo.n(1)},
    )


def count_av1_job_done(video_id: str, *, attempt: int) -> Video | None:
    """Count one more AV1 job of the ready video's `attempt` done (videos/av1.py). The video as it
    is then (the job that sees `av1_jobs_done` reach the chunk count publishes the AV1 rungs),
    None when it was deleted, or is no longer that attempt's ready video."""
    return _transition(
        video_id,
        condition="#s = :ready AND attempts = :attempt",
        update="ADD av1_jobs_done :one",
        names={"#s": "status"},
        values={":ready": dynamo.s(READY), ":attempt": dynamo.n(attempt), ":one": dynamo.n(1)},
    )


def add_av1(video_id: str, *, attempt: int, rungs: str, codecs: str) -> Video | None:
    """Offer the AV1 rungs (`rungs`, ladder.rungs_to_json; `codecs`, JSON {name: CODECS}) of the
    ready video's `attempt`; None when it was deleted or is no longer that attempt's."""
    return _transition(
        video_id,
        condition="#s = :ready AND attempts = :attempt",
        update="SET av1_rungs = :rungs, av1_codecs = :codecs",
        names={"#s": "status"},
        values={":ready": dynamo.s(READY), ":attempt": dynamo.n(attempt), ":rungs": dynamo.s(rungs),
                ":codecs": dynamo.s(codecs)},
    )


def delete_if(video_id: str, *, status: str) -> bool:
    """Delete the video only while it is still in `status`; False when it moved on."""
    return dynamo.delete_item(
        Key=dynamo.key(video_id),
        ConditionExpression="#s = :s",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": dynamo.s(status)},
    )


def _transition(video_id: str, *, condition: str, update: str, names: dict, values: dict) -> Video | None:
    answer = dynamo.update_item(
        Key=dynamo.key(video_id),
        ConditionExpression=f"attribute_exists(id) AND ({condition})",
        UpdateExpression=update,
        ExpressionAttributeNames=names,
        ExpressionAttributeValues=values,
        ReturnValues="ALL_NEW",
    )
    return from_item(answer["Attributes"]) if answer else None
