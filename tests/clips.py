"""Test clips, generated with the same ffmpeg the app uses (nothing binary is committed)."""

import subprocess
from pathlib import Path

from videos.transcode import ffmpeg_binary

# Files that are not videos, with the words of the reason an uploader reads.
NOT_VIDEOS = [
    ("html", "not a video"),
    ("image", "still image"),
    ("truncated", "damaged or incomplete"),
    ("empty", "empty"),
]

_LAVFI = ["-f", "lavfi", "-i"]


def _black_blur_sharp(size: str, *, sigma: float) -> list[str]:
    """Four seconds: black, blurred, sharp, blurred."""
    return [
        *_LAVFI, f"color=black:size={size}:rate=25:duration=1",
        *_LAVFI, f"testsrc2=size={size}:rate=25:duration=1",
        *_LAVFI, f"testsrc2=size={size}:rate=25:duration=1",
        *_LAVFI, f"testsrc2=size={size}:rate=25:duration=1",
        "-filter_complex", f"[1:v]gblur=sigma={sigma:g}[b1];[3:v]gblur=sigma={sigma:g}[b3];[0:v][b1][2:v][b3]concat=n=4:v=1:a=0[v]",
        "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
    ]


_RECIPES = {
    # name: (file name, ffmpeg arguments between the binary and the output path)
    "landscape": ("landscape.mp4", [*_LAVFI, "testsrc2=size=1920x1080:rate=30", *_LAVFI, "sine=frequency=440",
                                    "-t", "6", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest"]),
    "short": ("short.mp4", [*_LAVFI, "testsrc2=size=640x360:rate=25", *_LAVFI, "sine=frequency=330",
                            "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest"]),
    # A phone's clip: portrait pixels, with sound.
    "short_portrait": ("short_portrait.mp4", [*_LAVFI, "testsrc2=size=360x640:rate=25", *_LAVFI,
                                              "sine=frequency=520", "-t", "3", "-c:v", "libx264", "-preset",
                                              "ultrafast", "-c:a", "aac", "-shortest"]),
    "small": ("small.mp4", [*_LAVFI, "testsrc2=size=320x240:rate=25", "-t", "3", "-c:v", "libx264",
                            "-preset", "ultrafast", "-pix_fmt", "yuv420p"]),
    "no_audio": ("no_audio.mp4", [*_LAVFI, "testsrc2=size=1280x720:rate=25", "-t", "2", "-c:v", "libx264",
                                  "-preset", "ultrafast"]),
    "webm": ("vp9.webm", [*_LAVFI, "testsrc2=size=640x480:rate=25", *_LAVFI, "sine=frequency=550",
                          "-t", "2", "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8",
                          "-c:a", "libopus", "-shortest"]),
    # An iPhone-style clip: HEVC in a QuickTime .mov, 10-bit, tagged hvc1, rotated (below).
    "iphone_source": ("iphone_source.mov", [*_LAVFI, "testsrc2=size=1920x1080:rate=30", *_LAVFI, "sine=frequency=660",
                                            "-t", "2", "-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le",
                                            "-tag:v", "hvc1", "-x265-params", "log-level=error", "-c:a", "aac",
                                            "-shortest"]),
    "image": ("photo.jpg", [*_LAVFI, "testsrc2=size=800x600", "-frames:v", "1"]),
    # Four 1 s parts: black, blurred, sharp, blurred (for the default thumbnail).
    "black_blur_sharp": ("black_blur_sharp.mp4", _black_blur_sharp("320x240", sigma=12)),
    # The same at a phone's size: its sharpness is measured on a copy scaled down to 360 lines.
    "black_blur_sharp_hd": ("black_blur_sharp_hd.mp4", _black_blur_sharp("1920x1080", sigma=12 * 1080 / 240)),
    # Long enough that its start is watchable well before its end.
    "long": ("long.mp4", [*_LAVFI, "testsrc2=size=1920x1080:rate=30", *_LAVFI, "sine=frequency=440",
                          "-t", "20", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest"]),
    # Nine seconds whose every frame differs in colour from the others (the hue turns 40° a
    # second): for seek previews, whose tile for a time must be that time's frame.
    "changing": ("changing.mp4", [*_LAVFI, "testsrc2=size=640x360:rate=25,hue=h=40*t", "-t", "9", "-c:v", "libx264",
                                  "-preset", "ultrafast", "-pix_fmt", "yuv420p"]),
    # Detail as a phone's video has it, for what pictures weigh (test patterns compress far better):
    # one frame of the Mandelbrot set's edge (smooth colour beside fine texture), scaled up 2x and
    # panned slowly. Its 720p poster is about 69 KB in WebP, above the 40-55 KB of a detailed frame.
    "detailed": ("detailed.mp4", ["-t", "0.04", *_LAVFI,
                                  "mandelbrot=size=1152x648:rate=25:maxiter=1024:start_scale=0.1:end_scale=0.1",
                                  "-vf", "loop=loop=-1:size=1,setpts=N/25/TB,scale=2304:1296,"
                                  "crop=1920:1080:x='40*t':y='20*t',format=yuv420p",
                                  "-t", "6", "-c:v", "libx264", "-preset", "veryfast", "-crf", "20"]),
    "fast": ("fast.mp4", [*_LAVFI, "testsrc2=size=320x240:rate=120", "-t", "2", "-c:v", "libx264",
                          "-preset", "ultrafast", "-pix_fmt", "yuv420p"]),
    # A raw H.264 elementary stream: no container, no timestamps, no duration in its header.
    "raw_h264": ("raw.h264", [*_LAVFI, "testsrc2=size=64x64:rate=25", "-t", "2", "-c:v", "libx264",
                              "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-f", "h264"]),
}


def make(name: str, directory: Path) -> Path:
    if name == "portrait":
        return _portrait(directory)
    if name == "iphone":
        return _rotated(make("iphone_source", directory), directory / "iphone.mov")
    if name == "truncated":
        return _truncated(directory)
    if name == "padded":
        return _padded(directory)
    if name == "size_switch":
        return _size_switch(directory)
    if name == "html":
        path = directory / "page.mp4"
        path.write_text("<!doctype html><html><body><h1>Not a video</h1></body></html>\n")
        return path
    if name == "empty":
        path = directory / "empty.mp4"
        path.write_bytes(b"")
        return path
    filename, arguments = _RECIPES[name]
    path = directory / filename
    if not path.exists():
        _ffmpeg(*arguments, str(path))
    return path


def _portrait(directory: Path) -> Path:
    """A phone-style clip: 1920x1080 pixels stored with a 90° display rotation."""
    return _rotated(make("landscape", directory), directory / "portrait.mp4")


def _rotated(source: Path, path: Path) -> Path:
    if not path.exists():
        _ffmpeg("-display_rotation", "90", "-i", str(source), "-c", "copy", str(path))
    return path


def _padded(directory: Path) -> Path:
    """The small clip followed by a 17 MiB `free` box (which players skip): large enough to be
    sent as a multipart upload (3 parts), as cheap to encode as the small clip."""
    path = directory / "padded.mp4"
    if not path.exists():
        padding = 17 * 1024**2
        free_box = (padding + 8).to_bytes(4, "big") + b"free" + bytes(padding)
        path.write_bytes(make("small", directory).read_bytes() + free_box)
    return path


def _truncated(directory: Path) -> Path:
    """The first half of an MP4 whose index (moov) is at the end, as an interrupted copy is."""
    path = directory / "truncated.mp4"
    if not path.exists():
        data = make("landscape", directory).read_bytes()
        path.write_bytes(data[: len(data) // 2])
    return path


def _size_switch(directory: Path) -> Path:
    """1 s at 64x64 then 2 s at 1920x1080 in one MPEG-TS stream: its header shows only the first."""
    path = directory / "size_switch.ts"
    if not path.exists():
        parts = []
        for size, seconds, offset in (("64x64", 1, 0), ("1920x1080", 2, 1)):
            part = directory / f"switch-{size}.ts"
            _ffmpeg(*_LAVFI, f"testsrc2=size={size}:rate=25", "-t", str(seconds), "-c:v", "libx264",
                    "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-output_ts_offset", str(offset), str(part))
            parts.append(part.read_bytes())
        path.write_bytes(b"".join(parts))
    return path


def _ffmpeg(*arguments: str) -> None:
    subprocess.run([ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-y", *arguments], check=True)
