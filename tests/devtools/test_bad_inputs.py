"""Issue #15 (Acceptance): every bad input is rejected cleanly, with nothing written and nothing lost."""

from __future__ import annotations

from devtools.reliability.bad_inputs import run_all


def test_every_bad_input_is_rejected_cleanly_with_nothing_written_or_lost(make_database):
    lines: list[str] = []
    outcomes = run_all(make_database, lines.append)
    failed = [o for o in outcomes if not o.ok]
    assert not failed, failed
    assert len(outcomes) >= 24
    assert lines[
        -1
    ] == f"bad inputs tried {len(outcomes)}, rejected cleanly {len(outcomes)}/{len(outcomes)}, " + (
        f"nothing written and nothing lost in {len(outcomes)}/{len(outcomes)}"
    )
