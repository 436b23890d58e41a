"""Registered modalities. A new one is a module here plus one import line below."""

from biofm.modalities import dna, molecule, text  # noqa: F401  (registers "dna", "molecule", "text")
from biofm.modalities.base import ExplanationView, InvalidInput, Modality, get_modality, modality_names, register

__all__ = ["ExplanationView", "InvalidInput", "Modality", "get_modality", "modality_names", "register"]
