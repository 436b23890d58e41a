"""Clinical and biomedical text: de-identified on reading, WordPiece tokenizer, word-dropout augmentation."""

from biofm.modalities.text.modality import TextModality

__all__ = ["TextModality"]
