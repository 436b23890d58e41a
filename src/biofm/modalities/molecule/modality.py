"""Molecules as SMILES: RDKit parsing, atom-level tokens, Bemis–Murcko scaffolds, ECFP4 domain, forest baselines."""

from __future__ import annotations

import gzip
import itertools
import re
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from rdkit import Chem, RDLogger
from rdkit.Chem import rdFingerprintGenerator
from rdkit.Chem.Draw import SimilarityMaps, rdMolDraw2D
from rdkit.Chem.Scaffolds import MurckoScaffold
from sklearn.base import BaseEstimator
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import SVR
from tokenizers import Regex, decoders, pre_tokenizers
from transformers import PreTrainedTokenizerFast

from biofm.core.errors import ConfigError, DataError
from biofm.core.io import atomic_path
from biofm.core.shipped import shipped_model
from biofm.core.similarity import tanimoto
from biofm.core.tables import base_suffix, check_readable, iter_table, read_table
from biofm.modalities.base import ExplanationView, InvalidInput, register, svg_image
from biofm.modalities.molecule.features import ecfp4_and_rdkit2d, ecfp4_counts, physchem, rdkit2d, rdkit2d_fast
from biofm.modalities.tokenizers import fixed_vocabulary_tokenizer, word_level_tokenizer

RDLogger.DisableLog("rdApp.*")  # RDKit prints to stderr; we raise InvalidInput with the reason instead

# Atom-level SMILES units (Schwaller et al. 2019): bracket atoms ([nH], [C@@H]) and two-letter
# halogens (Cl, Br) stay single tokens.
SMILES_REGEX = (
    r"(\[[^\]]+]|Br?|Cl?|N|O|S|P|F|I|b|c|n|o|s|p|\(|\)|\.|=|#|-|\+|\\|\/|:|~|@|\?|>|\*|\$|%[0-9]{2}|[0-9])"
)
_SMILES_UNITS = re.compile(SMILES_REGEX)
# what the head may read beside the embedding (model.extra_features), by name; the first is also MTR's target set
_HEAD_FEATURES = {"rdkit2d": rdkit2d,  # whole-molecule descriptors
                  "rdkit2d_fast": rdkit2d_fast,  # the same without the 21 costliest (QED, BCUT2D, E-state extremes …)
                  "physchem": physchem,  # the cheap whole-molecule ones (logP, TPSA, VSA bins, counts): 71 of 217
                  "ecfp4": ecfp4_counts}  # substructure counts (2,048: what the forest reads)

# Units every molecule tokenizer knows, so an element or charge state absent from a small training
# set is not [UNK]: the organic subset, ring digits, bonds, and common bracket atoms.
_BRACKET_FORMS = ("", "+", "-", "@", "@@", "@+", "@@+", "H", "H+", "H-", "H2", "H2+", "H3+", "@H", "@@H")
_BASE_UNITS = [
    *"CNOSPFIBcnosbp", "Cl", "Br", *"()[].=#-+\\/:~@*", *"0123456789",
    *(f"[{atom}{form}]" for atom in ("C", "N", "O", "S", "P", "c", "n", "o", "s", "Si", "Se", "B")
      for form in _BRACKET_FORMS),
    "[Na+]", "[K+]", "[Li+]", "[Ca+2]", "[Mg+2]", "[Zn+2]", "[Cl-]", "[Br-]", "[I-]", "[F-]", "[2H]", "[H]", "[se]",
]
_ORGANIC_ATOMS = {"B", "C", "N", "O", "S", "P", "F", "Cl", "Br", "I", "b", "c", "n", "o", "s", "p"}
TTA_VIEWS = 8  # atom orders averaged per molecule with data.tta
DEPICTION_SIZE = (220, 160)  # pixels: a structure a chemist recognises beside a table row
_ECFP4 = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)
SVM_C = 10.0  # the SVM baseline's C: validation chose 10 on 17 of MoleculeACE's 30 sets (1: 4, 100: 9)


def smiles_units(smiles: str) -> list[str]:
    """The SMILES cut into its tokens: bracket atoms, two-letter atoms (Cl, Br), bonds, ring digits."""
    return _SMILES_UNITS.findall(smiles)


def atom_scores(smiles: str, scores: np.ndarray) -> list[float]:
    """Per-atom sums of per-character scores: atoms appear in a SMILES in RDKit's atom order."""
    out = []
    for match in _SMILES_UNITS.finditer(smiles):
        unit = match.group()
        if unit.startswith("[") or unit in _ORGANIC_ATOMS:
            out.append(float(scores[match.start() : match.end()].sum()))
    return out


def parse_smiles(smiles: str) -> Chem.Mol:
    """Parse and sanitise, saying *why* a SMILES is rejected (syntax or chemistry)."""
    mol = Chem.MolFromSmiles(smiles, sanitize=False)
    if mol is None:
        raise InvalidInput(f"not a valid SMILES (syntax): {smiles!r}")
    try:
        Chem.SanitizeMol(mol)
    except Exception as exc:  # RDKit raises several unrelated classes for chemistry problems
        raise InvalidInput(f"not a valid molecule ({exc}): {smiles!r}") from None
    if mol.GetNumAtoms() == 0:
        raise InvalidInput(f"SMILES has no atoms: {smiles!r}")
    return mol


def ecfp4(smiles: list[str]) -> np.ndarray:
    """2048-bit Morgan radius-2 fingerprints, the standard classical molecular baseline."""
    return np.stack([_ECFP4.GetFingerprintAsNumPy(parse_smiles(s)) for s in smiles]).astype(np.uint8)


class MoleculeModality:
    """Molecules as SMILES: RDKit validation and canonical form, atom tokens, scaffold splits, ECFP4 domain."""

    name = "molecule"
    input_column = "smiles"
    default_split = "scaffold"
    out_of_domain_below = 0.3  # max ECFP4 Tanimoto to the training set; pairs below ~0.3 are usually unrelated
    feature_sets = tuple(_HEAD_FEATURES)
    file_formats = (".sdf", ".smi")
    recognition_rank = 1  # after DNA: "CCCCGGAT" is no SMILES, but "CCCC" is both

    def recognises(self, value: str) -> bool:
        """A SMILES RDKit parses (a number such as 1.5 or an id such as CHEMBL25 does not)."""
        text = value.strip()
        if not text or any(c.isspace() for c in text):
            return False
        try:
            parse_smiles(text)
        except InvalidInput:
            return False
        return True

    def starter(self, task_kind: str) -> dict:
        """``smiles-mini`` with the RDKit descriptor head, as validation chose on B3DB (classification: its
        learning rates, a 512-wide head, randomised-SMILES augmentation, averaging several at prediction) and
        on Huuskonen solubility (regression)."""
        model = {"pretrained": shipped_model("smiles-mini"), "max_length": 256, "extra_features": ["rdkit2d"]}
        if task_kind == "classification":
            return {"data": {"augment": True, "tta": True}, "model": {**model, "head_width": 512},
                    "train": {"epochs": 12, "batch_size": 32, "learning_rate": 2e-4, "head_learning_rate": 1e-3,
                              "patience": 4}}
        return {"model": model, "train": {"epochs": 60, "batch_size": 32, "learning_rate": 5e-4, "patience": 10}}

    def record_unit(self, path: Path) -> str:
        return "row"  # an SDF record is reported by its row in the table it becomes

    def read_table(self, path: Path) -> pd.DataFrame:
        if base_suffix(path) in self.file_formats:
            frames = list(self.read_chunks(path, 100_000))
            return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        return read_table(path)

    def read_chunks(self, path: Path, rows: int) -> Iterator[pd.DataFrame]:
        """SDF records and ``.smi`` lines (``SMILES [name]``) read as they come; tables through ``iter_table``."""
        suffix = base_suffix(path)
        if suffix not in self.file_formats:
            yield from iter_table(path, rows)
            return
        records = _sdf_rows(check_readable(path)) if suffix == ".sdf" else _smi_rows(check_readable(path))
        empty = True
        while batch := list(itertools.islice(records, rows)):
            empty = False
            yield pd.DataFrame(batch, dtype=object)
        if empty:
            raise DataError(path, f"no molecules found in the {suffix[1:].upper()} file")

    def normalise(self, item: str) -> str:
        smiles = item.strip()
        mol = parse_smiles(smiles)
        if any(c.isspace() for c in smiles):  # RDKit read "C C O" as "C" named "C O": a silently wrong molecule
            raise InvalidInput(f"a SMILES has no spaces inside: {smiles!r} (several molecules? join them with '.')")
        return Chem.MolToSmiles(mol)

    def protect_columns(self, frame: pd.DataFrame, keep: list[str]) -> pd.DataFrame:
        return frame  # ids, names, assay notes: nothing personal

    def group_key(self, item: str, meta: Mapping[str, object]) -> str:
        return MurckoScaffold.MurckoScaffoldSmiles(mol=parse_smiles(item), includeChirality=False)

    def build_tokenizer(self, corpus: list[str], spec: str | None = None) -> PreTrainedTokenizerFast:
        if spec not in (None, "atom"):
            raise ConfigError(f"model.tokenizer: molecules use 'atom' (atom-level SMILES), got {spec!r}")
        units = {u for s in corpus for u in smiles_units(s)}
        splitter = pre_tokenizers.Split(Regex(SMILES_REGEX), behavior="isolated")
        return word_level_tokenizer(units | set(_BASE_UNITS), splitter, decoders.Fuse())

    def vocabulary_tokenizer(self, vocab: list[str]) -> PreTrainedTokenizerFast:
        """Atom-level regex units (the pre-tokenization of rxnfp, ChemBERTa-1 and Molecular Transformer) onto the
        checkpoint's vocabulary; a unit outside it becomes [UNK], as in the checkpoint's own tokenizer."""
        splitter = pre_tokenizers.Split(Regex(SMILES_REGEX), behavior="isolated")
        return fixed_vocabulary_tokenizer(vocab, splitter, decoders.Fuse())

    def tokenizer_text(self, item: str, spec: str | None) -> str:
        return item

    def char_map(self, item: str, spec: str | None) -> list[int]:
        return list(range(len(item)))  # the tokenizer reads the SMILES itself

    def depict(self, item: str) -> str:
        """The 2D structure (RDKit SVG) as an ``<img>``: an image cannot run script, whatever the SVG holds."""
        drawer = rdMolDraw2D.MolDraw2DSVG(*DEPICTION_SIZE)
        drawer.DrawMolecule(rdMolDraw2D.PrepareMolForDrawing(parse_smiles(item)))
        drawer.FinishDrawing()
        return svg_image(drawer.GetDrawingText(), f"structure of {item}")

    def render_explanation(self, item: str, scores: np.ndarray, stem: Path) -> ExplanationView:
        """Atoms coloured by attribution on an RDKit drawing (SVG)."""
        mol = parse_smiles(item)
        weights = atom_scores(item, scores)
        if len(weights) != mol.GetNumAtoms():  # e.g. explicit [H] atoms RDKit merged: no drawing, scores stay
            return ExplanationView(details={"atom_scores": weights})
        drawer = rdMolDraw2D.MolDraw2DSVG(420, 320)
        SimilarityMaps.GetSimilarityMapFromWeights(mol, [float(w) for w in weights], draw2d=drawer,
                                                   colorMap="bwr")
        drawer.FinishDrawing()
        path = stem.with_suffix(".svg")
        with atomic_path(path) as tmp:
            tmp.write_text(drawer.GetDrawingText(), encoding="utf-8")
        return ExplanationView(files=[str(path)], details={"atom_scores": [round(float(w), 6) for w in weights]})

    def domain_features(self, items: list[str]) -> np.ndarray:
        return ecfp4(items)

    def extra_features(self, name: str, items: list[str]) -> np.ndarray:
        if name not in _HEAD_FEATURES:
            raise ConfigError(f"model.extra_features: molecules offer {', '.join(_HEAD_FEATURES)}, not {name!r}")
        return _HEAD_FEATURES[name](items)

    def views(self, item: str) -> list[str]:
        """The canonical SMILES and ``TTA_VIEWS - 1`` randomised ones: a model trained on randomised SMILES
        reads any atom order, and the mean over several is steadier than one.  Seeded by the SMILES itself,
        so a molecule's prediction is the same in every run, process and engine."""
        rng = np.random.default_rng(zlib.crc32(item.encode()))
        return [item, *(self.augment(item, rng) for _ in range(TTA_VIEWS - 1))]

    def windows(self, item: str, size: int, stride: int) -> list[str]:
        return [item]  # a molecule cannot be cut into windows

    def augment(self, item: str, rng: np.random.Generator) -> str:
        """A randomised (non-canonical) SMILES of the same molecule: new atom order, same graph."""
        mol = parse_smiles(item)
        order = rng.permutation(mol.GetNumAtoms()).tolist()
        return Chem.MolToSmiles(Chem.RenumberAtoms(mol, order), canonical=False)

    def perturbations(self, item: str, rng: np.random.Generator) -> dict[str, str]:
        """The same molecule written otherwise: a random atom order, and Kekulé bonds instead of aromatic ones."""
        return {"randomised SMILES": self.augment(item, rng),
                "Kekulé SMILES": Chem.MolToSmiles(parse_smiles(item), kekuleSmiles=True)}

    def baselines(self, task_kind: str, seed: int) -> dict[str, tuple[str, BaseEstimator]]:
        """Random forests (500 trees) on ECFP4 counts, on RDKit 2D descriptors, and on both; for regression also
        an SVM with a Tanimoto kernel on ECFP4 bits, the best classical model on MoleculeACE's 30 activity sets
        (van Tilborg et al. 2022).  Not for classification: its probabilities need Platt scaling by internal
        cross-validation (``SVC(probability=True)``, deprecated in scikit-learn 1.9), 6 fits, ~60 s on B3DB."""
        forest = RandomForestClassifier if task_kind == "classification" else RandomForestRegressor
        candidates = {"ecfp4_rf": ("ECFP4 counts", ecfp4_counts), "rdkit2d_rf": ("RDKit 2D descriptors", rdkit2d),
                      "ecfp4_rdkit2d_rf": ("ECFP4 counts + RDKit 2D descriptors", ecfp4_and_rdkit2d)}
        offered = {key: (f"{what} + random forest (500 trees)",
                         make_pipeline(FunctionTransformer(features),
                                       forest(n_estimators=500, n_jobs=-1, random_state=seed)))
                   for key, (what, features) in candidates.items()}
        if task_kind == "regression":
            offered["ecfp4_svm"] = (f"ECFP4 bits + SVM (Tanimoto kernel, C={SVM_C:g})",
                                    make_pipeline(FunctionTransformer(ecfp4), SVR(kernel=tanimoto, C=SVM_C)))
        return offered

    def primary_metric(self, task_kind: str) -> str:
        return "roc_auc" if task_kind == "classification" else "rmse"


def _sdf_rows(path: Path) -> Iterator[dict]:
    """One row per SDF record: its SMILES plus every property field as a column."""
    with path.open("rb") as handle:
        for mol in Chem.ForwardSDMolSupplier(handle, sanitize=True):
            if mol is None:
                yield {"smiles": "<unparseable SDF record>"}
                continue
            yield {"smiles": Chem.MolToSmiles(mol), **{k: str(v) for k, v in mol.GetPropsAsDict().items()}}


def _smi_rows(path: Path) -> Iterator[dict]:
    """A SMILES file: one molecule a line, optionally a name after whitespace; ``#`` lines are comments."""
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                parts = line.split(maxsplit=1)
                if parts and not parts[0].startswith("#"):
                    yield {"smiles": parts[0], "name": parts[1].strip() if len(parts) > 1 else ""}
    except (UnicodeDecodeError, OSError, EOFError) as exc:
        raise DataError(path, f"cannot be read as a SMILES file ({exc})") from None


register(MoleculeModality())
