"""The ``biofm`` command line: one thin wrapper per public library function.

``app.py`` holds the Typer app and what commands share; ``runs.py`` the commands over one run folder's
life; ``more.py`` everything beyond a single run.  Importing this package registers them all, in
that order (the order ``biofm --help`` lists them).
"""

from biofm.cli import runs  # noqa: F401  (registers the commands on the app)

# isort: split
from biofm.cli import more  # noqa: F401
from biofm.cli.app import app, main, show_metrics

__all__ = ["app", "main", "show_metrics"]
