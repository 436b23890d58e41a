"""DP-SGD on a probe's head: the spent ε is reported and stays within budget; the encoder never moves."""

import pytest

from biofm.core.errors import ConfigError
from biofm.training.train import train
from conftest import tiny_config

SMILES_MINI = "models/smiles-mini"


@pytest.mark.parametrize("epsilon", [1.0, 8.0])
def test_private_probe_reports_the_privacy_it_spent(tmp_path, epsilon):
    cfg = tiny_config(model={"pretrained": SMILES_MINI, "adaptation": "probe"},
                      train={"epochs": 4, "patience": 4, "dp_epsilon": epsilon, "batch_size": 16})
    metrics = train(cfg, tmp_path / "dp").metrics
    privacy = metrics["privacy"]
    assert 0 < privacy["epsilon"] <= epsilon * 1.01  # the accountant's ε, within the budget asked for
    assert privacy["delta"] == pytest.approx(min(1e-5, 1 / (10 * metrics["data"]["n_train"])))
    assert privacy["noise_multiplier"] > 0 and privacy["epochs"] >= 1
    assert metrics["test"]["roc_auc"] is not None


def test_privacy_needs_a_frozen_encoder(tmp_path):
    cfg = tiny_config(model={"pretrained": SMILES_MINI}, train={"dp_epsilon": 1.0})
    with pytest.raises(ConfigError, match="probe"):
        train(cfg, tmp_path / "dp")
