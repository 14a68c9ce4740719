"""A bounded soak (60 s, 12 streamed chats at a time) against a real `spielraum serve`.

Thresholds are generous for a loaded 2-core machine, yet each can fail: any error or
leftover (pool connection, guard slot, growing descriptors or threads) fails it, and so
does memory that keeps growing after warm-up.
"""
from __future__ import annotations

import pytest

from bench.soak import run_soak

pytestmark = pytest.mark.slow


def test_sixty_seconds_of_streamed_chats_leave_nothing_behind():
    report = run_soak(clients=12, seconds=60, interval=5)
    assert report.completed > 12, report
    assert report.errors == 0, report.error_kinds
    assert report.leaks == []
    assert report.planted_upstream == 0
    assert report.rss_growth_mb < 120, [s.rss_mb for s in report.samples]
