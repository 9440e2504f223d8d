"""The site as a browser uses it over HTTP: sign in with the dev login, start an upload through
the JSON API, post the file straight to storage with the presigned form."""

from pathlib import Path

import requests


def sign_in(base_url: str, username: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base_url}/login/", timeout=30)
    signed_in = session.post(
        f"{base_url}/accounts/dev-login/",
        data={"username": username, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        timeout=30,
    )
    assert signed_in.status_code == 200 and "sessionid" in session.cookies, signed_in.text[:300]
    return session


def start_upload(base_url: str, session: requests.Session, **fields) -> dict:
    """`POST /api/videos/` as the upload page sends it; returns the answer's JSON."""
    body = {"title": "my pet", "description": "", "pet": "cat", "filename": "pet.mp4", "content_type": "video/mp4",
            "size": 1000} | fields
    started = session.post(f"{base_url}/api/videos/", json=body, timeout=30,
                           headers={"X-CSRFToken": session.cookies["csrftoken"], "Referer": f"{base_url}/upload/"})
    assert started.status_code == 201, started.text
    return started.json()


def post_to_storage(upload: dict, path: Path, content_type: str = "video/mp4") -> requests.Response:
    """The browser's POST of the file with the presigned form `upload` ({"url", "fields"})."""
    fields = upload["fields"] | {"Content-Type": content_type}
    with path.open("rb") as file:
        return requests.post(upload["url"], data=fields, files={"file": (path.name, file, content_type)}, timeout=60)
