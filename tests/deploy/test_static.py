"""Static files on AWS: `collectstatic` puts them in the static bucket under hashed names, and
module scripts import each other by those names too (they are cached for a year)."""

import json
import re

from django.conf import settings

from pettube import aws


def test_collected_module_scripts_import_their_hashed_neighbours(emulated_aws, dev_stage):
    manifest = json.loads((settings.BASE_DIR / "staticfiles.json").read_text())["paths"]
    stored = aws.client("s3").get_object(Bucket=dev_stage.PETTUBE_STATIC_BUCKET, Key=manifest["js/upload.js"])
    upload_js = stored["Body"].read().decode()

    imported = re.search(r'from "\./(api[^"]*\.js)"', upload_js)[1]
    assert f"js/{imported}" == manifest["js/api.js"]
    assert re.fullmatch(r"api\.[0-9a-f]{12}\.js", imported)
