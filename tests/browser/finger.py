"""A finger on a phone's screen, for the browser tests and bench/shorts.py.

A phone reports a finger on its screen at the display's rate (at 60 Hz a touchmove every
16.7 ms) whatever the page is doing. DevTools' `Input.dispatchTouchEvent` answers only once the
page has handled the event (some 35 ms on the shorts page), so touch events sent one after the
other, each awaited (as Playwright's sync API sends them), move at the page's pace instead: half
a screen in some 200 ms rather than 150, and Chromium never sees the speed of a real flick. This
finger has its own DevTools connection to the browser (a WebSocket on the port `launch` opens),
sends its events on a steady clock without waiting for Chromium's answers, and reads the answers
once the finger has lifted (an event Chromium refused fails the swipe).
"""

import base64
import json
import os
import socket
import struct
import time
import urllib.request
import weakref

FRAME_S = 1 / 60
_PORTS = weakref.WeakKeyDictionary()  # browser -> the port of its DevTools WebSocket


def launch(browser_type, **options):
    """`browser_type.launch(**options)`, with a DevTools port for the fingers of its pages."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options["args"] = [*options.get("args", []), f"--remote-debugging-port={port}"]
    browser = browser_type.launch(**options)
    _PORTS[browser] = port
    return browser


class Finger:
    """A finger on `page` (of a browser started by `launch`); `close()` it when done."""

    def __init__(self, page):
        port = _PORTS[page.context.browser]
        devtools = page.context.new_cdp_session(page)
        target = devtools.send("Target.getTargetInfo")["targetInfo"]["targetId"]
        devtools.detach()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=10) as answer:
            address = json.load(answer)["webSocketDebuggerUrl"]
        self._socket = _open_websocket(port, address.split(f":{port}", 1)[1])
        self._received = b""
        self._last_id = 0
        self._session = None
        self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]

    def swipe(self, path: list[tuple[float, float]]) -> None:
        """Puts the finger down at `path[0]`, moves it through the other points one display frame
        apart, and lifts it a frame after the last. Returns once every event has been answered."""
        events = [("touchStart", [path[0]]), *(("touchMove", [point]) for point in path[1:]), ("touchEnd", [])]
        started = time.perf_counter()
        sent = []
        for number, (kind, points) in enumerate(events):
            wait = started + number * FRAME_S - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            sent.append(self._send("Input.dispatchTouchEvent",
                                   {"type": kind, "touchPoints": [{"x": x, "y": y} for x, y in points]}))
        for message_id in sent:
            self._answer(message_id)

    def close(self) -> None:
        self._socket.sendall(_frame(b"", opcode=0x8))
        self._socket.close()

    def _call(self, method: str, params: dict) -> dict:
        return self._answer(self._send(method, params))

    def _send(self, method: str, params: dict) -> int:
        self._last_id += 1
        message = {"id": self._last_id, "method": method, "params": params}
        if self._session:
            message["sessionId"] = self._session
        self._socket.sendall(_frame(json.dumps(message).encode()))
        return self._last_id

    def _answer(self, message_id: int) -> dict:
        """The result of message `message_id` (events and other answers before it are dropped)."""
        while True:
            message = json.loads(self._read_message())
            if message.get("id") != message_id:
                continue
            if "error" in message:
                raise RuntimeError(f"DevTools refused a finger's event: {message['error']}")
            return message["result"]

    def _read_message(self) -> bytes:
        payload = b""
        while True:
            head = self._read(2)
            final, opcode, length = head[0] & 0x80, head[0] & 0x0F, head[1] & 0x7F
            if length == 126:
                length = struct.unpack("!H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", self._read(8))[0]
            payload += self._read(length)
            if opcode == 0x8:
                raise ConnectionError("the browser closed the finger's DevTools connection")
            if final:
                return payload

    def _read(self, size: int) -> bytes:
        while len(self._received) < size:
            chunk = self._socket.recv(65536)
            if not chunk:
                raise ConnectionError("the browser closed the finger's DevTools connection")
            self._received += chunk
        taken, self._received = self._received[:size], self._received[size:]
        return taken


def _open_websocket(port: int, path: str) -> socket.socket:
    connection = socket.create_connection(("127.0.0.1", port), timeout=30)
    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    key = base64.b64encode(os.urandom(16)).decode()
    connection.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                        "Sec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = connection.recv(1)  # byte by byte: nothing after the handshake's answer is read
        if not chunk:
            raise ConnectionError("the browser closed the finger's DevTools connection")
        head += chunk
    if not head.startswith(b"HTTP/1.1 101"):
        raise ConnectionError(f"no DevTools WebSocket: {head.decode(errors='replace')}")
    return connection


def _frame(payload: bytes, *, opcode: int = 0x1) -> bytes:
    """A client's WebSocket frame (masked, as RFC 6455 wants), final."""
    mask = os.urandom(4)
    length = len(payload)
    if length < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | length)
    elif length < 1 << 16:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
    return head + mask + bytes(byte ^ mask[number % 4] for number, byte in enumerate(payload))


def line(start: tuple[float, float], end: tuple[float, float], moves: int) -> list[tuple[float, float]]:
    """A finger's path from `start` to `end` in `moves` equal moves."""
    (x0, y0), (x1, y1) = start, end
    return [(x0 + (x1 - x0) * step / moves, y0 + (y1 - y0) * step / moves) for step in range(moves + 1)]
