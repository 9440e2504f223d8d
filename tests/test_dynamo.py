from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from pettube import dynamo


@given(st.datetimes(min_value=datetime(1000, 1, 1), timezones=st.just(UTC)))
def test_a_stamp_reads_back_as_the_moment_it_names(moment):
    stamped = dynamo.stamp(moment)

    read = dynamo.parse_stamp(stamped)

    assert read == moment and read.tzinfo is UTC
    assert read == datetime.strptime(stamped, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)  # as it was read before
