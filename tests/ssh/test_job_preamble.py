"""The stream's preamble filter (one layer, no ssh): what an instance's login shell prints
before the follow script starts is dropped, wherever the reads split the bytes."""

from __future__ import annotations

import io
import itertools

from hypothesis import given
from hypothesis import strategies as st

from gpueater_ext._ssh.job_stream import _Channel
from gpueater_ext._ssh.job_supervisor import STREAM_PREAMBLE

# Anything that does not itself hold the preamble (a part of one, at the end, is fine).
NOISE = st.one_of(
    st.binary(max_size=200), st.sampled_from([STREAM_PREAMBLE[:n] for n in range(1, 19)])
).filter(lambda b: (b + STREAM_PREAMBLE).find(STREAM_PREAMBLE) == len(b))


@given(
    noise=NOISE,
    payload=st.binary(max_size=200),
    cuts=st.lists(st.integers(min_value=0, max_value=500), max_size=8),
)
def test_only_the_bytes_after_the_preamble_are_the_jobs(noise, payload, cuts):
    data = noise + STREAM_PREAMBLE + payload
    points = sorted({min(cut, len(data)) for cut in cuts} | {0, len(data)})
    channel = _Channel(io.BytesIO())
    accepted = b"".join(channel.accept(data[a:b]) for a, b in itertools.pairwise(points))
    assert channel.started
    assert accepted == payload


def test_a_preamble_in_the_jobs_own_output_is_kept():
    channel = _Channel(io.BytesIO())
    assert channel.accept(b"motd\n" + STREAM_PREAMBLE + STREAM_PREAMBLE) == STREAM_PREAMBLE
    assert channel.accept(STREAM_PREAMBLE) == STREAM_PREAMBLE


def test_nothing_counts_before_the_preamble():
    channel = _Channel(io.BytesIO())
    assert channel.accept(b"a greeting, then the connection drops") == b""
    assert not channel.started
