"""Word-level HuggingFace tokenizers for symbol languages (SMILES atoms, k-mers).

Why WordLevel and not BPE: a chemistry model once shipped a BPE with empty merges that silently
became character-level.  Here the modality decides the units with a regex, the vocabulary is
exactly those units, and the result is a ``PreTrainedTokenizerFast`` that saves to a folder and
reloads with ``AutoTokenizer.from_pretrained``.
"""

from __future__ import annotations

from collections.abc import Iterable

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors
from transformers import PreTrainedTokenizerFast

PAD, UNK, CLS, SEP, MASK = "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"
SPECIAL_TOKENS = [PAD, UNK, CLS, SEP, MASK]


def word_level_tokenizer(
    units: Iterable[str],
    pre_tokenizer: pre_tokenizers.PreTokenizer,
    decoder: decoders.Decoder | None = None,
    model_max_length: int = 512,
) -> PreTrainedTokenizerFast:
    """Build a tokenizer whose vocabulary is the special tokens followed by ``units`` (sorted).

    ``decoder`` decides how ``decode`` joins tokens: ``decoders.Fuse()`` concatenates (SMILES), the
    default joins with spaces (space-separated k-mers decode to the text they were made from).

    Sorting makes token ids independent of corpus order, so the same corpus always gives the same
    vocabulary.
    """
    vocab = {token: i for i, token in enumerate(SPECIAL_TOKENS)}
    for unit in sorted(set(units) - set(SPECIAL_TOKENS)):
        vocab[unit] = len(vocab)
    core = Tokenizer(models.WordLevel(vocab, unk_token=UNK))
    core.pre_tokenizer = pre_tokenizer
    if decoder is not None:  # none: tokens are joined with spaces (k-mers); Fuse: concatenated (SMILES)
        core.decoder = decoder
    return fast_tokenizer(core, model_max_length, clean_up_tokenization_spaces=False)


def fast_tokenizer(core: Tokenizer, model_max_length: int = 512, **options) -> PreTrainedTokenizerFast:
    """``[CLS] … [SEP]`` framing and the transformers wrapper every biofm-built tokenizer shares."""
    core.post_processor = processors.TemplateProcessing(
        single=f"{CLS} $A {SEP}",
        pair=f"{CLS} $A {SEP} $B:1 {SEP}:1",
        special_tokens=[(CLS, core.token_to_id(CLS)), (SEP, core.token_to_id(SEP))],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=core,
        pad_token=PAD,
        unk_token=UNK,
        cls_token=CLS,
        sep_token=SEP,
        mask_token=MASK,
        model_max_length=model_max_length,
        model_input_names=["input_ids", "attention_mask"],
        **options,
    )
