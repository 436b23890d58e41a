"""The API's door under hostile clients: token before body, bodies counted while they stream, Host checked."""

import asyncio

import pytest
from fastapi.testclient import TestClient

from biofm.core.errors import BiofmError, ConfigError
from biofm.serve import ServeLimits, create_app, serve
from biofm.serve.guard import LOOPBACK_HOSTS, Guard, hostname


def run_guard(guard: Guard, headers: dict[str, str], chunks: int, chunk: bytes = b"x" * 65536):
    """Drive the middleware with a streamed body; returns (status sent, chunks the guard pulled)."""
    pulled, sent = 0, []

    async def receive():
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": chunk, "more_body": pulled < chunks}

    async def send(message):
        sent.append(message)

    async def app(scope, receive, send):
        await receive()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    guard.app = app  # what a request the guard lets through reaches
    scope = {"type": "http", "path": "/predict",
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}
    asyncio.run(guard(scope, receive, send))
    return sent[0]["status"], pulled


def test_a_missing_token_is_refused_before_any_of_the_body_is_read():
    status, pulled = run_guard(Guard(None, token="s3cret", max_body_bytes=1000), {}, chunks=1600)  # 100 MB offered
    assert status == 401 and pulled == 0


def test_a_chunked_body_is_stopped_at_the_limit_without_reading_the_rest():
    guard = Guard(None, token="s3cret", max_body_bytes=2_000_000)
    status, pulled = run_guard(guard, {"Authorization": "Bearer s3cret"}, chunks=1600)  # no Content-Length
    assert status == 413 and pulled == 2_000_000 // 65536 + 1


def test_only_a_bearer_token_is_accepted_in_any_case_of_the_scheme():
    guard = Guard(None, token="s3cret", max_body_bytes=10**6)
    assert run_guard(guard, {"Authorization": "s3cret"}, chunks=1)[0] == 401  # bare token
    assert run_guard(guard, {"Authorization": "Basic s3cret"}, chunks=1)[0] == 401
    assert run_guard(guard, {"Authorization": "bearer s3cret"}, chunks=1)[0] == 200
    assert run_guard(guard, {"Authorization": "BEARER s3cret"}, chunks=1)[0] == 200


def test_unexpected_host_headers_are_refused_when_bound_to_loopback():
    guard = Guard(None, token=None, max_body_bytes=10**6, allowed_hosts=LOOPBACK_HOSTS)
    assert run_guard(guard, {"Host": "attacker.example:8000"}, chunks=1)[0] == 400
    for host in ("127.0.0.1:8000", "localhost", "[::1]:8000", "LOCALHOST:1"):
        assert run_guard(guard, {"Host": host}, chunks=1)[0] == 200, host
    assert hostname("[::1]:8000") == "[::1]" and hostname("127.0.0.1") == "127.0.0.1"


def test_an_empty_token_and_impossible_limits_or_ports_are_refused(trained_run):
    with pytest.raises(ConfigError, match="empty token would leave the API open"):
        create_app({"bbb": trained_run}, token="")
    with pytest.raises(ConfigError, match="--max-items: must be at least 1"):
        ServeLimits(max_items=-1)
    with pytest.raises(ConfigError, match="--port: expected a TCP port from 1 to 65535, got 99999"):
        serve({"bbb": trained_run}, port=99999)


def test_lone_surrogates_get_422_naming_the_item(trained_run):
    client = TestClient(create_app({"bbb": trained_run}))
    response = client.post("/predict", content=b'{"items": ["CCO", "C\\ud800"]}',
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 422 and "item 1: not valid Unicode" in response.text
    deep = client.post("/predict", content=b'{"items": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
                       headers={"Content-Type": "application/json"})
    assert 400 <= deep.status_code < 500
    assert client.post("/predict", json={"items": ["CCO"]}).status_code == 200


def test_two_runs_under_one_name_are_refused():
    from biofm.cli.runs import served_names

    assert served_names(["a=runs/x", "runs/y"]) == {"a": "runs/x", "y": "runs/y"}
    with pytest.raises(BiofmError, match="two runs named 'x'"):
        served_names(["runs/x", "other/x"])
