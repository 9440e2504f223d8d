"""Build the Lambda layer that gives the worker function ffmpeg (`make layer`).

The binary is the one the imageio-ffmpeg wheel ships for linux x86_64, the same build the app
uses locally, so what passes the tests here is what runs on Lambda. A layer is unpacked under
/opt, so the binary lands at /opt/bin/ffmpeg (FFMPEG_BINARY in zappa_settings.json). It stays
out of the web function, whose package must stay small for fast cold starts.

    python -m deploy.ffmpeg_layer build/ffmpeg-layer.zip
"""

import sys
import zipfile
from pathlib import Path

from deploy.lambda_package import zip_entry

LAYER_PATH = "bin/ffmpeg"


def build(destination: Path) -> Path:
    import imageio_ffmpeg

    binary = Path(imageio_ffmpeg.get_ffmpeg_exe())
    destination.parent.mkdir(parents=True, exist_ok=True)
    entry = zip_entry(LAYER_PATH)
    with zipfile.ZipFile(destination, "w") as layer, binary.open("rb") as source, layer.open(entry, "w") as target:
        while chunk := source.read(1 << 20):
            target.write(chunk)
    return destination


if __name__ == "__main__":
    print(build(Path(sys.argv[1] if len(sys.argv) > 1 else "build/ffmpeg-layer.zip")))
