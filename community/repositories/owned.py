"""What the community keeps of one video or of one person: likes, views, comments, reports and
review cases carry `of_video` (and likes, comments and a signed-in person's views `of_user`), so
the shared indexes `of-video` and `of-user` (pettube/dynamo.py) find them without a Scan when the
video or the account goes. Other apps' items in those indexes are theirs to delete."""

from pettube import dynamo

KINDS = ("like#", "like-noticed#", "view#", "comment#", "report#", "case#")


def of_video(video_id: str) -> list[str]:
    return _ours(dynamo.ids_in("of-video", video_id))


def of_user(user_id: str) -> list[str]:
    return _ours(dynamo.ids_in("of-user", user_id))


def delete(ids: list[str]) -> None:
    dynamo.delete_many(ids)


def _ours(ids: list[str]) -> list[str]:
    return [item_id for item_id in ids if item_id.startswith(KINDS)]
