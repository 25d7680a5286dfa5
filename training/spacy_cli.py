"""``python -m training.spacy_cli <spacy command> ...``: spaCy's own CLI (train, pretrain,
...) with thinc computing on numpy/OpenBLAS instead of blis (kg/nlp/ops.py: about 3.5x
faster matrix products on the build machine, so training is faster too)."""
from __future__ import annotations

import sys


def main() -> None:
    from spacy.cli import setup_cli

    import training.augment  # noqa: F401  (registers kg.case_variants.v1 for the configs)
    from kg.nlp.ops import cpu_ops

    sys.argv[0] = "python -m spacy"
    with cpu_ops():
        setup_cli()


if __name__ == "__main__":
    main()
