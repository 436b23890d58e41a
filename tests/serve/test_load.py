"""300 (`make test`) or 2,000 (`make test-full`) valid requests from 32 concurrent clients on loopback,
hostile clients mixed in: no valid request fails, every hostile one is refused with the right status, and the
server's memory stays flat."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))

from serve_load import load_test


@pytest.mark.parametrize("requests", [300, pytest.param(2000, marks=pytest.mark.slow)])
def test_many_requests_without_error_while_hostile_clients_are_refused(trained_run, requests):
    result = load_test(trained_run, requests=requests, concurrency=32, hostile=4, time_limit=150)
    print(result)
    assert result["requests"] == requests and result["errors"] == 0
    for kind, outcomes in result["hostile"].items():
        assert outcomes and not any("unexpected" in status for status in outcomes), (kind, outcomes)
    assert result["server_rss_mb"]["growth"] < 100  # a 100 MB upload is never held
