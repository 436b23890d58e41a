"""Applicability domain: similarity of new molecules to the training set, flagged when far."""

import numpy as np

from biofm.data.records import read_records
from biofm.modalities import get_modality
from biofm.modeling.domain import nearest_similarity
from biofm.use.predict import predict


def test_training_molecules_are_in_domain_and_strangers_are_not(trained_run, data_dir, tmp_path):
    molecule = get_modality("molecule")
    train = read_records(molecule, data_dir / "bbb_small.csv", "smiles", [], "classification", skip_invalid=True)
    check = nearest_similarity(molecule, trained_run, train.inputs[:5])
    assert check is not None and check.threshold == molecule.out_of_domain_below  # the modality's, kept in the run
    known = check.similarity
    assert np.allclose(known[known > 0.99], 1.0) and (known > 0.99).sum() >= 1 and not check.out_of_domain.all()
    stranger = nearest_similarity(molecule, trained_run, ["[Na+].[Cl-]", "FC(F)(F)C(F)(F)C(F)(F)C(F)(F)F"])
    assert (stranger.similarity < molecule.out_of_domain_below).all() and stranger.out_of_domain.all()
    (tmp_path / "new.csv").write_text("smiles\n[Na+].[Cl-]\n" + train.inputs[0] + "\n")
    frame = predict(trained_run, tmp_path / "new.csv", tmp_path / "out.csv")
    assert frame["out_of_domain"].tolist()[0] and 0 <= frame["domain_similarity"].min() <= 1


def test_dna_has_no_domain(motif_run):
    assert nearest_similarity(get_modality("dna"), motif_run.run_dir, ["ACGTACGT"]) is None
