"""``python -m biofm`` is the ``biofm`` command."""

from biofm.cli import main

main()
