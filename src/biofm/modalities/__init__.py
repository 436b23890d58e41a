"""Registered modalities. A new one is a module here plus one import line below."""

from biofm.modalities import dna, molecule  # noqa: F401  (registers "dna", "molecule")
from biofm.modalities.base import InvalidInput, Modality, get_modality, modality_names, register

__all__ = ["InvalidInput", "Modality", "get_modality", "modality_names", "register"]
