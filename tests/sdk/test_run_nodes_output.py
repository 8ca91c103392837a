"""The `[rank] ` prefixing writer of a multi-node run: whole lines only, whatever the
chunks, so two nodes' lines never mix; a line that never ends still comes out."""

from __future__ import annotations

import threading

from gpueater_ext._jobs.rank_output import MAX_LINE, ranked_writers
from tests.sdk.run_fixtures import Recorder


def test_chunks_split_anywhere_come_out_as_whole_prefixed_lines() -> None:
    out = Recorder()
    zero, one = ranked_writers(2, out)
    zero.write(b"epo")
    one.write(b"loss 0.")
    zero.write(b"ch 1\nepoch")
    one.write(b"3\n")
    zero.write(b" 2\n")
    assert bytes(out.data) == b"[0] epoch 1\n[1] loss 0.3\n[0] epoch 2\n"


def test_a_last_line_without_newline_and_an_endless_line_are_still_shown() -> None:
    out = Recorder()
    (writer,) = ranked_writers(1, out)
    writer.write(b"x" * MAX_LINE)
    assert bytes(out.data) == b"[0] " + b"x" * MAX_LINE + b"\n"
    writer.write(b"tail")
    writer.finish()
    assert bytes(out.data).endswith(b"[0] tail\n")


def test_nodes_writing_at_once_from_threads_never_interleave_mid_line() -> None:
    out = Recorder()
    writers = ranked_writers(4, out)

    def node(rank: int) -> None:
        for line in range(500):
            text = f"node {rank} line {line} " + "y" * 50 + "\n"
            for start in range(0, len(text), 7):  # in small pieces, as a stream delivers
                writers[rank].write(text[start : start + 7].encode())

    threads = [threading.Thread(target=node, args=(rank,)) for rank in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = bytes(out.data).decode().splitlines()
    assert len(lines) == 2000
    for line in lines:
        rank = line[1]
        assert line.startswith(f"[{rank}] node {rank} line "), line
        assert line.endswith(" " + "y" * 50), line
