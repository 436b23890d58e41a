import pytest

from biofm.core.config import RunConfig
from biofm.core.errors import ConfigError
from biofm.data.datasets import catalog, get_dataset, resolve


def test_bundled_files_exist_with_provenance():
    for card in catalog().values():
        assert card.licence and card.source and card.citation
        for part in card.files:
            assert card.path(part).is_file()
    assert get_dataset("b3db").n_rows() == {"train": 7807}
    assert get_dataset("solubility").n_rows() == {"train": 1025, "test": 257}
    assert get_dataset("tf_binding").n_rows() == {"train": 7797}


def test_resolve_fills_from_dataset_and_explicit_values_win():
    cfg = resolve(RunConfig.from_dict({"data": {"dataset": "solubility", "split": "random"}}))
    assert cfg.modality == "molecule" and cfg.data.task == "regression"
    assert cfg.data.test.endswith("solubility_test.csv.gz") and cfg.data.split == "random"


def test_unknown_dataset_and_missing_data():
    with pytest.raises(ConfigError, match="unknown dataset 'tox99'"):
        resolve(RunConfig.from_dict({"data": {"dataset": "tox99"}}))
    with pytest.raises(ConfigError, match=r"data\.dataset"):
        resolve(RunConfig())
