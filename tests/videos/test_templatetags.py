import pytest

from videos.templatetags.videos import clock


@pytest.mark.parametrize(("seconds", "shown"), [(None, ""), (2.0, "0:02"), (6.4, "0:06"), (95, "1:35"), (3723, "1:02:03")])
def test_clock_shows_durations_as_players_do(seconds, shown):
    assert clock(seconds) == shown
