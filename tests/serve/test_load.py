"""2,000 requests from 32 concurrent clients on loopback: zero errors (bounded in count and time)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))

from serve_load import load_test


def test_two_thousand_requests_without_error(trained_run):
    result = load_test(trained_run, requests=2000, concurrency=32, time_limit=120)
    print(result)
    assert result["requests"] == 2000 and result["errors"] == 0
