"""Whether to trust a prediction: calibration, applicability domain, explanations, the report."""
