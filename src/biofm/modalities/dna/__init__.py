"""DNA sequences: FASTA/table reading, k-mer tokenizers, reverse-complement views, JASPAR motif explanations."""

from biofm.modalities.dna.modality import (
    DnaModality,
    kmer_text,
    parse_spec,
    read_fasta,
    reverse_complement,
    strongest_window,
)

__all__ = ["DnaModality", "kmer_text", "parse_spec", "read_fasta", "reverse_complement", "strongest_window"]
