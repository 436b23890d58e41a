"""The door of the API: who may ask, from which address, and how much, checked before a body is read.

Why an ASGI middleware and not FastAPI dependencies: a dependency runs after the body has been read
and parsed, so a client without a token could still make the server hold 100 MB; and a body-size
check that trusts ``Content-Length`` is blind to chunked uploads.  Here the Host header (DNS
rebinding), then the bearer token, then the body's size while it streams in, in that order, each
refused with one JSON line and the right status.
"""

from __future__ import annotations

import hmac
import json

PUBLIC_PATHS = frozenset({"/", "/health", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"})
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})


class Guard:
    """ASGI middleware: ``allowed_hosts`` (None: any), ``token`` (None: open), ``max_body_bytes``."""

    def __init__(self, app, token: str | None, max_body_bytes: int, allowed_hosts: frozenset[str] | None = None):
        self.app, self.token, self.max_body, self.allowed_hosts = app, token, max_body_bytes, allowed_hosts

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refusal(scope["path"], headers)
        if refusal:
            await reply(send, *refusal)
            return
        body = await self._read_body(receive, send)
        if body is None:
            return
        delivered = False

        async def replay():
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: only a disconnect can come

        await self.app(scope, replay, send)

    def _refusal(self, path: str, headers: dict[str, str]) -> tuple[int, str] | None:
        if self.allowed_hosts is not None and hostname(headers.get("host", "")) not in self.allowed_hosts:
            return 400, (f"unexpected Host header {headers.get('host', '')!r}: this server answers only "
                         f"{', '.join(sorted(self.allowed_hosts))} (a page elsewhere may not reach it)")
        if self.token is not None and path not in PUBLIC_PATHS and not authorised(headers, self.token):
            return 401, "missing or wrong API token (send 'Authorization: Bearer <token>')"
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            return 413, f"request body over {self.max_body} bytes"
        return None

    async def _read_body(self, receive, send) -> bytes | None:
        """The whole body, counted as it streams (chunked or not); None once a reply has been sent."""
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await reply(send, 413, f"request body over {self.max_body} bytes")
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def authorised(headers: dict[str, str], token: str) -> bool:
    """``Authorization: Bearer <token>`` (the scheme in any case), compared in constant time."""
    scheme, _, given = headers.get("authorization", "").strip().partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def hostname(host: str) -> str:
    """``127.0.0.1:8000`` → ``127.0.0.1``; ``[::1]:8000`` → ``[::1]``; lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


async def reply(send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
