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
    assert get_dataset("splice_sites").n_rows() == {"train": 3000}
    assert get_dataset("freesolv").n_rows() == {"train": 642}
    assert get_dataset("b3db_logbb").n_rows() == {"train": 1058}


def test_freesolv_keeps_the_experiment_not_the_calculation():
    """FreeSolv ships a calculated free energy beside the measured one; a label or a feature column taken
    from the calculation would grade the model against physics, not against experiment."""
    import pandas as pd

    frame = pd.read_csv(get_dataset("freesolv").path("train"))
    assert list(frame.columns) == ["name", "smiles", "hydration_free_energy"]
    assert frame["hydration_free_energy"].between(-26, 4).all()


def test_splice_sites_are_decoded_bases_with_the_junction_signals():
    """The R data set's indicator columns decoded right: donors start their intron with GT, acceptors end
    theirs with AG, and no sequence is given twice (it could land in train and test)."""
    import pandas as pd

    frame = pd.read_csv(get_dataset("splice_sites").path("train"))
    assert set(frame["sequence"].str.len()) == {60} and frame["sequence"].is_unique
    share = frame.groupby("junction")["sequence"].agg(lambda s: ((s.str[30:32] == "GT").mean(),
                                                                  (s.str[28:30] == "AG").mean()))
    assert share["donor"][0] > 0.95 and share["acceptor"][1] > 0.95 and share["neither"][0] < 0.2


def test_resolve_fills_from_dataset_and_explicit_values_win():
    cfg = resolve(RunConfig.from_dict({"data": {"dataset": "solubility", "split": "random"}}))
    assert cfg.modality == "molecule" and cfg.data.task == "regression"
    assert cfg.data.test.endswith("solubility_test.csv.gz") and cfg.data.split == "random"


def test_unknown_dataset_and_missing_data():
    with pytest.raises(ConfigError, match="unknown dataset 'tox99'"):
        resolve(RunConfig.from_dict({"data": {"dataset": "tox99"}}))
    with pytest.raises(ConfigError, match=r"data\.dataset"):
        resolve(RunConfig())
