"""Waiting for something that happens elsewhere (a worker thread, the event pump, a server
process): one helper, so every wait has a deadline and says what it last saw when it gives up."""

import inspect
import time
from collections.abc import Callable


def eventually[T](condition: Callable[[], T], *, timeout: float = 30, interval: float = 0.2,
                  ignoring: tuple[type[Exception], ...] = ()) -> T:
    """Call `condition` until it returns something truthy, and return that. It may also say "not
    yet" by failing an assert (whose message says what it saw) or by raising one of `ignoring`
    (a server that is still starting). Past `timeout` seconds, raises AssertionError with the
    condition and what it last returned or raised."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
            if value:
                return value
            last = f"returned {value!r}"
        except (AssertionError, *ignoring) as error:
            last = f"raised {type(error).__name__}: {error}"
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"not true within {timeout:g} s: {_source(condition)}\nIt last {last[:3000]}")
        time.sleep(min(interval, remaining))


def _source(condition: Callable) -> str:
    try:
        return inspect.getsource(condition).strip()
    except (OSError, TypeError):
        return repr(condition)
