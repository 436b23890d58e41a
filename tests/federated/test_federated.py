"""Flower client and server pieces: what a site refuses, FedProx's proximal term, a site without a server.
The federations themselves (real processes over loopback) are in test_simulation.py."""

import pytest
import torch

from biofm.core.errors import ConfigError
from conftest import tiny_config

# the client module also carries common's names (FederationError, federation_config)
federated = pytest.importorskip("biofm.federated.client", reason="Flower (flwr) is not installed")

SMILES_MINI = "models/smiles-mini"


def test_federation_needs_a_shared_pretrained_start():
    with pytest.raises(ConfigError, match=r"model\.pretrained"):
        federated.federation_config(tiny_config())



def test_fedprox_adds_the_proximal_term_to_the_local_loss(tmp_path):
    class Toy(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = torch.nn.Parameter(torch.zeros(5))

        def forward(self, x, labels=None):
            return {"loss": (self.weight * x).sum()}

    from biofm.training.trainer import training_arguments

    model = Toy()
    args = training_arguments(tiny_config(), tmp_path, None, False, eval_strategy="no", save_strategy="no",
                              load_best_model_at_end=False)
    trainer = federated.LocalTrainer(model=model, args=args, proximal_mu=2.0)
    with torch.no_grad():
        model.weight += 1.0  # 1 away from the global weights in each of 5 coordinates
    loss = trainer.compute_loss(model, {"x": torch.zeros(5)})
    assert loss.item() == pytest.approx(2.0 / 2 * 5)



def test_a_site_without_a_server_gives_up_with_a_clear_error():
    cfg = tiny_config(model={"pretrained": SMILES_MINI, "adaptation": "probe"})
    with pytest.raises(federated.FederationError, match=r"no federation server answers at 127\.0\.0\.1:9"):
        federated.join(cfg, "127.0.0.1:9", wait_seconds=1)
