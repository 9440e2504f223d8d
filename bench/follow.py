"""Following at scale, on the embedded local AWS: one pet followed by 10,000 accounts (famous:
PETTUBE_FOLLOW_FAMOUS_AT is 1,000) and 100 ordinary pets each followed by 50.

Measured in one run, median of --runs each:
- publish → every follower's feed has the video, for an ordinary pet (the worker's fan-out into
  50 inboxes) and for the famous pet (nothing per follower: the worker adds it to the pet's
  recent videos, which readers merge in); then every follower's feed is read to check it is
  there. Write units per publish are worked out from the requests, by DynamoDB's sizing rules
  (1 WCU per KB an item written, the larger of before and after for an update that returns the
  item, twice in a transaction, and one more per index the item is in), since the local DynamoDB
  does not report consumed capacity.
- a `/following/` page (the service's page of 24, as the view reads it) for a follower of 200
  accounts, 3 of them famous, their recent videos read afresh (the worst case: a process that has
  not read them in FAMOUS_PAGE_SECONDS: 1 Query and one BatchGetItem for the three), against the
  home feed's page read in the same loop; read units the same way (4 KB per RCU, half for
  eventually consistent reads). The same page is then read again at once, as the next reader in
  the same process reads it (the recent videos kept): feed_page_warm_ms.

    .venv/bin/python bench/follow.py
Last line: fanout_ordinary_s=… fanout_famous_s=… wcu_per_publish_famous=… feed_page_ms=… rcu_per_feed_page=…
"""

import argparse
import json
import math
import statistics
import time
from datetime import timedelta

import _setup

_setup.django_on_local_aws(PETTUBE_FOLLOW_FAMOUS_AT="1000")

from follows import services as follows  # noqa: E402
from pets import services as pets  # noqa: E402
from pettube import aws, dynamo, local_aws  # noqa: E402
from videos import domain, listings, repository, storage  # noqa: E402
from videos import services as videos  # noqa: E402

FAMOUS_FOLLOWERS, ORDINARY, ORDINARY_FOLLOWERS, READER_FOLLOWS = 10_000, 100, 50, 200
OTHER_FAMOUS = 2  # more famous pets the reader follows, 1,000 followers each
FIRST_VIDEOS = 21  # ordinary pets with a video before the runs (with the famous ones: a full page)


class Units:
    """Read and write units of the requests sent while it counts, by DynamoDB's sizing rules."""

    def __init__(self) -> None:
        self.reads = self.writes = 0.0
        self.counting = False
        events = aws._session().events
        events.register("before-parameter-build.dynamodb", self._before)
        events.register("after-call.dynamodb", self._after)
        aws.client.cache_clear()

    def _before(self, model, params, **_) -> None:
        if not self.counting:
            return
        name = model.name
        if name in ("PutItem", "UpdateItem", "DeleteItem"):
            self.writes += _item_units(params.get("Item"), 1024) + _index_units(params.get("Item"))
        elif name == "BatchWriteItem":
            for requests in params["RequestItems"].values():
                for request in requests:
                    item = request.get("PutRequest", {}).get("Item")
                    self.writes += _item_units(item, 1024) + _index_units(item)
        elif name == "TransactWriteItems":
            for action in params["TransactItems"]:
                item = action.get("Put", {}).get("Item")  # updates and deletes: 1 KB assumed
                self.writes += 2 * _item_units(item, 1024) + _index_units(item)

    def _after(self, model, parsed, **_) -> None:
        if not self.counting:
            return
        name = model.name
        if name == "GetItem":
            self.reads += _item_units(parsed.get("Item"), 4096)  # counted as consistent: at most this
        elif name == "BatchGetItem":
            for items in parsed.get("Responses", {}).values():
                self.reads += sum(_item_units(item, 4096) for item in items)
        elif name == "Query":
            size = sum(_size(item) for item in parsed.get("Items", []))
            self.reads += max(1, math.ceil(size / 4096)) / 2  # eventually consistent (indexes)
        elif name == "UpdateItem" and "Attributes" in parsed:  # counted as 1 KB before the call
            self.writes += _item_units(parsed["Attributes"], 1024) - 1


def _size(item: dict | None) -> int:
    return len(json.dumps(item or {}, separators=(",", ":")))


def _item_units(item: dict | None, unit: int) -> int:
    return max(1, math.ceil(_size(item) / unit))


def _index_units(item: dict | None) -> int:
    return sum(1 for keys in dynamo.INDEXES.values() if item and all(key in item for key in keys))


def publish(owner: str, pet_ids: list[str], title: str, units: "Units | None" = None) -> domain.Video:
    """A video through the worker's state changes to ready (no encode: this is about following);
    `units` count from its publishing transaction on."""
    video = videos.start_upload(owner_id=owner, owner_name=f"user{owner}", title=title, description="",
                                species="cat", filename="a.mp4", content_type="video/mp4", size=1000,
                                pets=pet_ids).video
    repository.claim(video.id, lease=timedelta(minutes=5))
    if units:
        units.counting, units.writes = True, 0.0
    return listings.mark_ready(video.id, rendition=domain.Rendition(
        duration=2.0, width=640, height=360, source_size=1000, video_size=900, poster_size=100,
        video_key=storage.media_key(video.id, "video.mp4"), poster_key=storage.media_key(video.id, "poster.jpg"),
        card_key=None, thumbnails=0))


def forget_kept() -> None:
    """As in a process that has not read the famous accounts' videos in FAMOUS_PAGE_SECONDS."""
    follows._recent.clear()
    follows._newest.clear()


def load_followers(followers: dict[str, list[str]], famous: set[str]) -> None:
    """The crowd of followers, loaded in bulk (BatchWriteItems) as the items follows/repository.py's
    `add` writes (a transaction per follow would take this shared machine most of an hour): the
    follows (famous accounts' followers out of the `followers` index), each account's count,
    each follower's set, and the famous set, famous for an hour (settled: the worker skips them)."""
    then = dynamo.stamp(dynamo.now() - timedelta(hours=1))
    items, sets = [], {}
    for target, fans in followers.items():
        key = f"pet:{target}"
        for fan in fans:
            item = {**dynamo.key(f"follow#{fan}#{key}"), "follows_from": dynamo.s(fan), "target": dynamo.s(key),
                    "followed_at": dynamo.s(then)}
            if target not in famous:
                item["follows_to"] = dynamo.s(key)
            items.append(item)
            sets.setdefault(fan, set()).add(key)
        counter = {**dynamo.key(f"followers#{key}"), "followers": dynamo.n(len(fans))}
        if target in famous:
            counter["famous_since"] = dynamo.s(then)
        items.append(counter)
    items += [{**dynamo.key(f"following#{fan}"), "targets": {"SS": sorted(targets)}} for fan, targets in sets.items()]
    items.append({**dynamo.key("famous-accounts"), "targets": {"SS": sorted(f"pet:{target}" for target in famous)}})
    dynamo.put_many(items)


def published_and_seen(owner: str, pet_id: str, followers: list[str], units: Units) -> tuple[float, float]:
    """Seconds from a video's publication (its transaction done) until it is in every follower's
    feed (the fan-out's writes done; then each follower's feed is read to check it shows it), and
    the write units from its publishing transaction on. The local DynamoDB copies the whole table
    in every transaction, so the publishing transaction itself is left out of the time."""
    video = publish(owner, [pet_id], f"new from {pet_id}", units=units)
    began = time.perf_counter()
    follows.fan_out(video_id=video.id)  # what the worker does right after publishing
    seconds = time.perf_counter() - began
    units.counting = False
    missing = [f for f in followers if video.id not in [v.id for v in follows.feed_page(user_id=f, limit=5).items]]
    assert not missing, f"{len(missing)} feeds without the video"  # checked after: a feed read is the reader's
    return seconds, units.writes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    server, _ = local_aws.start_server()
    local_aws.provision()
    units = Units()
    try:
        began = time.perf_counter()
        famous = pets.add_pet(owner_id="9000", owner_name="Star", name="Star", species="cat", breed="", born=None)
        others = [pets.add_pet(owner_id="9001", owner_name="Other", name=f"Other {n}", species="cat", breed="",
                               born=None) for n in range(OTHER_FAMOUS)]
        ordinary = [pets.add_pet(owner_id=str(1000 + n), owner_name=f"o{n}", name=f"Pet {n}", species="dog",
                                 breed="", born=None) for n in range(ORDINARY)]
        quiet = [pets.add_pet(owner_id="9002", owner_name="Q", name=f"Quiet {n}", species="dog", breed="", born=None)
                 for n in range(READER_FOLLOWS - ORDINARY - 1 - OTHER_FAMOUS)]
        reader = "reader"
        # Published before the crowd arrives: the local DynamoDB copies the whole table for every
        # transaction (to roll it back), which real DynamoDB does not; the fan-outs run after.
        for pet in [famous, *others, *ordinary[:FIRST_VIDEOS]]:  # a page's worth of videos to read
            publish(pet.owner_id, [pet.id], f"first of {pet.name}")
        crowd = {famous.id: [f"fan{n}" for n in range(FAMOUS_FOLLOWERS - 1)] + [reader]}
        crowd |= {other.id: [f"f{n}" for n in range(1000)] + [reader] for other in others}
        crowd |= {pet.id: [f"p{i}-{n}" for n in range(ORDINARY_FOLLOWERS - 1)] + [reader]
                  for i, pet in enumerate(ordinary)}
        crowd |= {pet.id: [reader] for pet in quiet}
        load_followers(crowd, famous={famous.id, *(other.id for other in others)})
        pairs = [(fan, target) for target, fans in crowd.items() for fan in fans]
        follows.fan_out_due()
        assert follows.account(kind="pet", target_id=famous.id, viewer=None).followers == FAMOUS_FOLLOWERS
        assert len(follows.repository.targets_of(reader)) == READER_FOLLOWS
        print(f"set up {len(pairs)} follows and {FIRST_VIDEOS + 3} videos in {time.perf_counter() - began:.0f} s")

        ordinary_s, ordinary_wcu, famous_s, famous_wcu, page_ms, page_rcu, home_ms, warm_ms = [], [], [], [], [], [], [], []
        for run in range(runs):
            pet = ordinary[run]
            fans = [reader] + [f"p{run}-{n}" for n in range(ORDINARY_FOLLOWERS - 1)]
            seconds, wcu = published_and_seen(pet.owner_id, pet.id, fans, units)
            ordinary_s.append(seconds)
            ordinary_wcu.append(wcu)
            forget_kept()  # the famous pet's recent videos as no process has read them yet
            sample = [reader] + [f"fan{n}" for n in range(run * 50, run * 50 + 49)]
            seconds, wcu = published_and_seen(famous.owner_id, famous.id, sample, units)
            famous_s.append(seconds)
            famous_wcu.append(wcu)
            for _ in range(3):
                forget_kept()
                units.counting, units.reads = True, 0.0
                start = time.perf_counter()
                page = follows.feed_page(user_id=reader)
                page_ms.append((time.perf_counter() - start) * 1000)
                units.counting = False
                page_rcu.append(units.reads)
                assert len(page.items) == 24
                start = time.perf_counter()  # again, as the next reader in this process: famous pages kept
                follows.feed_page(user_id=reader)
                warm_ms.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                videos.feed_page()
                home_ms.append((time.perf_counter() - start) * 1000)
    finally:
        server.stop()
    print(f"ordinary publish -> 50 feeds (s): {[round(s, 2) for s in ordinary_s]}; WCU {ordinary_wcu}")
    print(f"famous publish -> feeds (s, 50 followers checked): {[round(s, 2) for s in famous_s]}; WCU {famous_wcu}")
    print(f"following page (ms): {[round(ms) for ms in page_ms]}; RCU {page_rcu}")
    print(f"following page, famous pages kept by the process (ms): {[round(ms) for ms in warm_ms]}")
    print(f"home feed page (ms), same loop: {[round(ms) for ms in home_ms]}")
    home = statistics.median(home_ms)
    print(f"home_page_ms={home:.0f} feed_page_warm_ms={statistics.median(warm_ms):.0f} "
          f"feed_ratio={statistics.median(page_ms) / home:.2f} feed_warm_ratio={statistics.median(warm_ms) / home:.2f} "
          f"wcu_per_publish_ordinary={statistics.median(ordinary_wcu):.0f}")
    print(f"fanout_ordinary_s={statistics.median(ordinary_s):.2f} fanout_famous_s={statistics.median(famous_s):.2f} "
          f"wcu_per_publish_famous={statistics.median(famous_wcu):.0f} feed_page_ms={statistics.median(page_ms):.0f} "
          f"rcu_per_feed_page={statistics.median(page_rcu):.1f}")


if __name__ == "__main__":
    main()
