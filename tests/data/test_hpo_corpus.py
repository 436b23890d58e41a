"""The clinical-text adaptation corpus script: one passage per current HPO term (run on a tiny ontology)."""

from __future__ import annotations

import gzip
import importlib.util
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
OBO = """format-version: 1.2

[Term]
id: HP:0000001
name: All

[Term]
id: HP:0001631
name: Atrial septal defect
def: "A defect in the \\"septum\\" between the atria." [PMID:1]
synonym: "Hole in the heart wall separating two upper heart chambers" EXACT layperson []
synonym: "ASD" EXACT abbreviation []
synonym: "atrial septal defect" EXACT []
synonym: "Old name" EXACT obsolete_synonym []
comment: Common at birth.

[Term]
id: HP:0009999
name: Something withdrawn
def: "Never to be read." []
is_obsolete: true

[Typedef]
id: part_of
name: part of
"""


def corpus_script():
    spec = importlib.util.spec_from_file_location("hpo_corpus", ROOT / "scripts" / "hpo_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_current_term_is_one_passage_of_name_synonyms_and_definition(tmp_path):
    source = tmp_path / "hp.obo"
    source.write_text(OBO, encoding="utf-8")
    count = corpus_script().write_corpus(source, tmp_path / "out" / "hpo.csv.gz")
    with gzip.open(tmp_path / "out" / "hpo.csv.gz", "rt", encoding="utf-8") as handle:
        passages = pd.read_csv(handle)["text"].tolist()
    assert count == 2 and len(passages) == 2  # the obsolete term and the typedef are not passages
    assert passages[0] == "All"
    assert passages[1] == ('Atrial septal defect (Hole in the heart wall separating two upper heart chambers; ASD): '
                           'A defect in the "septum" between the atria. Common at birth.')
    assert not list((tmp_path / "out").glob("*.tmp*"))  # written whole, then renamed
