import pytest
import yaml

from biofm.core.config import RunConfig, apply_overrides
from biofm.core.errors import ConfigError


def test_yaml_round_trip(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump({"data": {"dataset": "b3db"}, "train": {"epochs": 3}}))
    cfg = RunConfig.from_file(path)
    again = RunConfig.from_dict(cfg.to_dict())
    assert again == cfg and cfg.train.epochs == 3


def test_overrides_are_typed(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("data: {dataset: b3db}\n")
    cfg = RunConfig.from_file(path, ["train.epochs=5", "train.learning_rate=1e-3", "model.pretrained=models/x"])
    assert cfg.train.epochs == 5 and cfg.train.learning_rate == pytest.approx(1e-3)
    assert cfg.model.pretrained == "models/x"


def test_unknown_key_names_the_key():
    with pytest.raises(ConfigError, match=r"train\.epoch'"):
        RunConfig.from_dict({"train": {"epoch": 3}})


def test_wrong_type_names_the_key():
    with pytest.raises(ConfigError, match=r"train.epochs: expected an integer, got 'three'"):
        RunConfig.from_dict({"train": {"epochs": "three"}})


def test_bool_is_not_an_integer():
    with pytest.raises(ConfigError, match=r"train\.batch_size"):
        RunConfig.from_dict({"train": {"batch_size": True}})


def test_post_init_validates_values():
    with pytest.raises(ConfigError, match=r"split_sizes"):
        RunConfig.from_dict({"data": {"split_sizes": [0.5, 0.5, 0.5]}})
    with pytest.raises(ConfigError, match=r"precision"):
        RunConfig.from_dict({"train": {"precision": "fp8"}})


def test_malformed_override():
    with pytest.raises(ConfigError, match=r"key\.path=value"):
        apply_overrides({}, ["train.epochs"])


def test_missing_and_invalid_files(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        RunConfig.from_file(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("data: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        RunConfig.from_file(bad)
