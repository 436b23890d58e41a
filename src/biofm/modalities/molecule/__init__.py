"""Molecules as SMILES: RDKit validation and canonical form, atom tokens, scaffold splits, the classical
baselines a chemist would fit (random forests on ECFP4 counts and RDKit 2D descriptors)."""

from biofm.modalities.molecule.modality import MoleculeModality, atom_scores, ecfp4, parse_smiles, smiles_units

__all__ = ["MoleculeModality", "atom_scores", "ecfp4", "parse_smiles", "smiles_units"]
