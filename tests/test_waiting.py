"""tests/waiting.py's `eventually`: the one way the suite waits for something to happen."""

import time

import pytest

from tests.waiting import eventually


def test_it_returns_the_first_truthy_value_the_condition_returns():
    answers = iter([None, 0, [], "ready", "later"])

    assert eventually(lambda: next(answers), timeout=5, interval=0) == "ready"


def test_it_gives_up_at_the_deadline_with_what_it_last_saw():
    def uploaded() -> bool:
        status = "uploading"
        assert status == "ready", f"status {status}"
        return True

    started = time.monotonic()
    with pytest.raises(AssertionError, match=r"not true within 0.3 s: def uploaded[\s\S]*last raised AssertionError: "
                                             r"status uploading"):
        eventually(uploaded, timeout=0.3, interval=0.05)
    assert 0.3 <= time.monotonic() - started < 2

    with pytest.raises(AssertionError, match=r"It last returned \[\]"):
        eventually(lambda: [], timeout=0, interval=0)


def test_it_waits_through_the_errors_it_is_told_to_ignore_and_no_others():
    attempts = []

    def starting() -> str:
        attempts.append(1)
        if len(attempts) < 3:
            raise ConnectionError("refused")
        return "up"

    assert eventually(starting, timeout=5, interval=0, ignoring=(ConnectionError,)) == "up"
    with pytest.raises(KeyError):
        eventually(lambda: {}["missing"], timeout=5, interval=0)
