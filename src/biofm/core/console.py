"""The one Rich console every message goes through: stderr, so a command's own output (a config on
stdout, a table redirected to a file) stays clean.  Its own module so that printing an error does not
import the training stack."""

from rich.console import Console

console = Console(stderr=True)
