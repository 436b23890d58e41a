"""Serving a finished run over HTTP: a JSON API and a small web page."""

from biofm.serve.app import ServeLimits, create_app, serve

__all__ = ["ServeLimits", "create_app", "serve"]
