"""The public way to kg's spaCy pipelines: ``load(lang)`` and ``detect_language(text)``.

``load("it")`` / ``load("en")`` returns a ready ``spacy.Language``: kg's own pipeline
shipped in ``kg/models/<lang>`` (tok2vec, NER for PER/ORG/LOC, morphologizer, parser,
lemmatizer; see each model's MODEL_CARD.md), followed by the ``kg_numeric`` rule component
(MONEY/PERCENT/DATE, ``kg.nlp.numeric``).

Any installed spaCy pipeline can be used instead: ``use_pipeline("en", "en_core_web_sm")``
(what ``kg build --spacy-model en=...`` calls), the environment variables
``KG_SPACY_MODEL_IT`` / ``KG_SPACY_MODEL_EN`` (or ``KG_SPACY_MODEL`` for both), or
``model=`` to ``load``; each names a package or a path.  Pipelines are cached per
(lang, model).
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from kg.nlp.langdetect import detect_language

__all__ = ["load", "detect_language", "model_path", "use_pipeline", "LANGS"]

LANGS = ("it", "en")
MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
_CHOSEN: dict[str, str] = {}  # lang -> pipeline named by use_pipeline


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        from kg.config import KgError

        raise KgError(f"unsupported language {lang!r}: use one of {', '.join(LANGS)}")


def use_pipeline(lang: str, name: str | os.PathLike | None) -> None:
    """From now on ``load(lang)`` uses the spaCy pipeline ``name`` (installed package or
    directory); ``None`` goes back to the default."""
    _check_lang(lang)
    if name is None:
        _CHOSEN.pop(lang, None)
    else:
        _CHOSEN[lang] = str(name)


def model_path(lang: str) -> str:
    """Which pipeline ``load(lang)`` uses: ``use_pipeline``, else the environment
    variables, else the packaged model dir."""
    _check_lang(lang)
    env = os.environ.get(f"KG_SPACY_MODEL_{lang.upper()}") or os.environ.get("KG_SPACY_MODEL")
    return _CHOSEN.get(lang) or env or str(MODELS_DIR / lang)


def load(lang: str, model: str | os.PathLike | None = None):
    """Return the cached spaCy pipeline for ``lang`` ("it"/"en") with ``kg_numeric`` added.

    ``model`` (or the env vars above) names an installed pipeline or a directory to use
    instead of the packaged one."""
    return _load(lang, str(model) if model else model_path(lang))


@lru_cache(maxsize=8)
def _load(lang: str, name: str):
    import spacy

    from kg.config import KgError

    _check_lang(lang)
    from kg.nlp.ops import cpu_ops

    try:
        with cpu_ops():  # OpenBLAS matrix products, see kg/nlp/ops.py
            nlp = spacy.load(name)
    except OSError as exc:
        raise KgError(
            f"cannot load the spaCy pipeline for {lang!r} from {name!r}: {exc}. "
            f"Rebuild it with `python -m training.train {lang}` or set KG_SPACY_MODEL_{lang.upper()}."
        ) from exc
    _index_lemma_tables(nlp)
    _add_numeric(nlp, lang)
    # nlp.pipe's default batch (1,000 texts) makes the encoder's matrices far larger than
    # the CPU caches; ~64 paragraphs (~16k tokens, about kg build's 8-article batches)
    # runs ~15% faster on the build machine (benchmarks/BENCHMARKS.md)
    nlp.batch_size = 64
    return nlp


def _index_lemma_tables(nlp) -> None:
    """Turn the rule lemmatizer's word lists into sets (English).

    spacy-lookups-data stores ``lemma_index`` as one list of known words per POS, and the
    rule lemmatizer asks ``form in index`` for every candidate form: a linear scan of
    thousands of words, about 15% of the whole pipeline's time.  Membership is all it
    asks of those lists, so sets give the same lemmas (the model on disk is unchanged)."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lookups = nlp.get_pipe("lemmatizer").lookups
    if "lemma_index" not in lookups.tables:
        return
    index = lookups.get_table("lemma_index")
    for key, words in list(index.items()):
        if isinstance(words, list):
            index[key] = frozenset(words)


def _add_numeric(nlp, lang: str) -> None:
    """Append the MONEY/PERCENT/DATE rule component (kg.nlp.numeric) after the NER."""
    import kg.nlp.numeric  # noqa: F401  (registers the "kg_numeric" factory)

    if "kg_numeric" not in nlp.pipe_names:
        nlp.add_pipe("kg_numeric", config={"lang": lang})
