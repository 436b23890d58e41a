"""Federated fine-tuning with Flower: ``common`` (checks, travelling weights), ``client`` (a site),
``server`` (aggregation, rounds scored on validation, the run folder), ``simulation`` (all on one machine).

Flower is an optional extra (``pip install 'biofm[federated]'``); nothing outside this package imports it.
"""

import os

os.environ.setdefault("FLWR_TELEMETRY_ENABLED", "0")  # Flower reports usage online unless told not to; read at import
