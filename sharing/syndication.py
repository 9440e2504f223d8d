"""RSS 2.0 feeds with Media RSS (https://www.rssboard.org/media-rss), made with Django's
syndication framework: the newest videos, a species', a person's and a pet's. Public ready videos
only (the lists they read hold nothing else), newest first; each item's media point at the
stable URLs of sharing/links.py, since feed readers fetch long after the feed was made. Each feed
is one Query (a person's also reads the person from the database)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed

from pets import services as pets
from sharing import links
from videos import services as videos
from videos.domain import SPECIES, Video

MEDIA_RSS = "http://search.yahoo.com/mrss/"
MP4 = "video/mp4"


class MediaRssFeed(Rss201rev2Feed):
    """RSS 2.0 whose items also carry `media:content` (the MP4, its type, duration and size) and
    `media:thumbnail` (the poster and its size)."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("media:content", None, item["media_content"])
        if item["media_thumbnail"]:
            handler.addQuickElement("media:thumbnail", None, item["media_thumbnail"])


@dataclass(frozen=True)
class Listed:
    """A video in a feed, with its media's absolute URLs (the request knows the site's address)."""

    video: Video
    mp4_url: str
    poster: links.Picture | None


@dataclass(frozen=True)
class Source:
    title: str
    link: str
    description: str
    items: list[Listed]


class VideoFeed(Feed):
    feed_type = MediaRssFeed

    def source(self, request, **kwargs) -> tuple[str, str, str, list[Video]]:
        """The feed's title, page (a path), description and videos."""
        raise NotImplementedError

    def get_object(self, request, **kwargs) -> Source:
        title, link, description, found = self.source(request, **kwargs)
        return Source(title, link, description, [
            Listed(video, links.mp4_url(request, video), links.poster(request, video)) for video in found
        ])

    def title(self, source: Source) -> str:
        return source.title

    def link(self, source: Source) -> str:
        return source.link

    def description(self, source: Source) -> str:
        return source.description

    def items(self, source: Source) -> list[Listed]:
        return source.items

    def item_title(self, item: Listed) -> str:
        return item.video.title

    def item_description(self, item: Listed) -> str:
        return item.video.description

    def item_link(self, item: Listed) -> str:
        return reverse("watch", args=[item.video.id])

    def item_pubdate(self, item: Listed):
        return item.video.published_at

    def item_author_name(self, item: Listed) -> str:
        return item.video.owner_name

    def item_categories(self, item: Listed) -> list[str]:
        return item.video.species_shown

    def item_enclosures(self, item: Listed) -> list[Enclosure]:
        return [Enclosure(item.mp4_url, str(item.video.video_size or 0), MP4)]

    def item_extra_kwargs(self, item: Listed) -> dict:
        video, poster = item.video, item.poster
        content = {"url": item.mp4_url, "type": MP4, "medium": "video", "duration": str(round(video.duration or 0)),
                   "width": str(video.width or 0), "height": str(video.height or 0)}
        if video.video_size:
            content["fileSize"] = str(video.video_size)
        thumbnail = {"url": poster.url, "width": str(poster.width), "height": str(poster.height)} if poster else None
        return {"media_content": content, "media_thumbnail": thumbnail}


class NewestVideos(VideoFeed):
    def source(self, request):
        return ("PetTube: newest pet videos", reverse("feed"), "The newest videos on PetTube.",
                videos.feed_page(limit=videos.PAGE_SIZE).items)


class SpeciesVideos(VideoFeed):
    def source(self, request, species: str):
        if species not in SPECIES:
            raise Http404("No such species.")
        return (f"PetTube: newest {species} videos", f"{reverse('feed')}?species={species}",
                f"The newest {species} videos on PetTube.",
                pets.species_page(species=species, limit=videos.PAGE_SIZE).items)


class PersonsVideos(VideoFeed):
    def source(self, request, user_id: int):
        person = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
        found = videos.public_videos_of(owner_id=str(person.pk), limit=videos.PAGE_SIZE).items
        if not found:  # as the profile page: nothing public, no name (ids are sequential)
            raise Http404("Nobody here has shared a video.")
        return (f"PetTube: {person.display_name}’s videos", reverse("profile", args=[person.pk]),
                f"{person.display_name}’s videos on PetTube.", found)


class PetsVideos(VideoFeed):
    def source(self, request, pet_id: str):
        try:
            pet, page = pets.pet_page(pet_id=pet_id, limit=videos.PAGE_SIZE)
        except pets.NotFound:
            raise Http404("No such pet.") from None
        return (f"PetTube: videos of {pet.name}", reverse("pet", args=[pet.id]),
                f"Videos of {pet.name}, {pet.owner_name}’s {pet.species}, on PetTube.", page.items)
