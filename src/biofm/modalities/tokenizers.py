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

from biofm.core.errors import ConfigError

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
    vocab = [*SPECIAL_TOKENS, *sorted(set(units) - set(SPECIAL_TOKENS))]
    return fixed_vocabulary_tokenizer(vocab, pre_tokenizer, decoder, model_max_length)


def fixed_vocabulary_tokenizer(
    vocab: list[str],
    pre_tokenizer: pre_tokenizers.PreTokenizer,
    decoder: decoders.Decoder | None = None,
    model_max_length: int = 512,
) -> PreTrainedTokenizerFast:
    """A word-level tokenizer with exactly ``vocab``, ids in its order: a foreign checkpoint's ``vocab.txt``, whose
    embedding rows are in that order, or biofm's own sorted units."""
    missing = [token for token in SPECIAL_TOKENS if token not in vocab]
    if missing:
        raise ConfigError(f"vocabulary lacks the special token(s) {', '.join(missing)} a BERT-style model reads")
    repeated = sorted({token for token in vocab if vocab.count(token) > 1})
    if repeated:
        raise ConfigError(f"vocabulary lists {', '.join(map(repr, repeated[:5]))} twice; ids would be ambiguous")
    core = Tokenizer(models.WordLevel({token: i for i, token in enumerate(vocab)}, unk_token=UNK))
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
