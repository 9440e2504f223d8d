"""Installable: a web app manifest with icons (PNG, 192 and 512, and a maskable one) and the
theme colour, linked from every page."""

import struct
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_the_manifest(client):
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "PetTube" and manifest["short_name"] == "PetTube"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#e8590c" and manifest["background_color"]
    icons = {(icon["sizes"], icon["purpose"]): icon for icon in manifest["icons"]}
    assert set(icons) == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for (sizes, _), icon in icons.items():
        assert icon["type"] == "image/png"
        path = Path(finders.find(icon["src"].removeprefix(settings.STATIC_URL)))
        assert "x".join(map(str, png_size(path))) == sizes


def test_every_page_links_it_with_the_theme_colour(aws, client, head):
    page = head(client.get("/").content.decode())

    assert [link["href"] for link in page.links if link.get("rel") == "manifest"] == ["/manifest.webmanifest"]
    assert page.meta["theme-color"] == ["#e8590c"]
