"""Settings shared by the infrastructure modules: IRIs, where the store lives, where the
ontology files are, the extractor version, and the one exception type users see.

Kept free of heavy imports so `import kg.config` is cheap for every module and the CLI.
"""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

# --- IRIs (fixed interfaces, see DESIGN.md) ---------------------------------------------
BIZ = "https://w3id.org/kg/biz#"
ENTITY_NS = "https://w3id.org/kg/id/"
ARTICLE_NS = "https://w3id.org/kg/article/"
ONTOLOGY_GRAPH = "https://w3id.org/kg/graph/ontology"

# Prefixes used by the Turtle writer, query tables and inline SPARQL (a query may omit the
# PREFIX lines for these).
PREFIXES: dict[str, str] = {
    "biz": BIZ,
    "kgid": ENTITY_NS,
    "kgart": ARTICLE_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "sh": "http://www.w3.org/ns/shacl#",
}

# --- the store ----------------------------------------------------------------------------
STORE_ENV = "KG_STORE"
DEFAULT_STORE = Path(".kg") / "store"


def store_location(location: str | os.PathLike | None = None) -> str:
    """Where the store is: the argument, else $KG_STORE, else ./.kg/store (relative to the
    working directory, so each project folder has its own graph)."""
    if location:
        return str(location)
    return os.environ.get(STORE_ENV) or str(DEFAULT_STORE)


# --- ontology files -----------------------------------------------------------------------
PACKAGE_DIR = Path(__file__).resolve().parent
ONTOLOGY_DIRS = (PACKAGE_DIR / "ontology", PACKAGE_DIR.parent / "ontology")


def ontology_file(name: str) -> Path:
    """Path of `ontology/<name>` (biz.ttl, shapes.ttl): inside the package when installed
    with it, else next to the package in a source checkout."""
    for folder in ONTOLOGY_DIRS:
        if (folder / name).is_file():
            return folder / name
    raise KgError(f"ontology file not found: {name} (looked in {', '.join(map(str, ONTOLOGY_DIRS))})")


# --- versions -----------------------------------------------------------------------------
# The code and data whose change must re-extract an article: an article is "unchanged" only
# when its text hash AND this version match what the store holds.
EXTRACTOR_SOURCES = ("nlp", "extract", "lang", "resolve.py", "money.py", "rdf.py", "rdf", "terms.py")


def kg_version() -> str:
    try:
        from importlib.metadata import version

        return version("kg")
    except Exception:  # not installed (running from a bare checkout)
        return "0+unknown"


def extractor_version() -> str:
    """`<kg version>+<hash>` where the hash covers the extractor's source files, the
    bundled models' meta/config files and any other spaCy pipeline chosen instead
    (kg.nlp.use_pipeline, KG_SPACY_MODEL_*): editing a rule, retraining a model or
    switching pipelines changes it, so the next build re-extracts."""
    from kg import nlp

    h = hashlib.sha256(_sources_hash().encode())
    for lang in nlp.LANGS:
        chosen = nlp.model_path(lang)
        if Path(chosen) != PACKAGE_DIR / "models" / lang:
            h.update(f"{lang}={chosen}".encode())
            meta = Path(chosen) / "meta.json"
            if meta.is_file():
                h.update(meta.read_bytes())
    for var in ("KG_RELATION_MODEL", "KG_TYPING_MODEL"):  # experiments with other weights
        other = os.environ.get(var)
        if other and Path(other).is_file():
            h.update(Path(other).read_bytes())
    return f"{kg_version()}+{h.hexdigest()[:12]}"


@lru_cache(maxsize=1)
def _sources_hash() -> str:
    """Hash of the extractor's source files and the bundled models' meta/config files."""
    h = hashlib.sha256()
    files: list[Path] = []
    for name in EXTRACTOR_SOURCES:
        p = PACKAGE_DIR / name
        if p.is_dir():
            files += sorted(q for q in p.rglob("*.py") if "__pycache__" not in q.parts)
        elif p.is_file():
            files.append(p)
    models = PACKAGE_DIR / "models"
    if models.is_dir():
        files += sorted(models.rglob("meta.json")) + sorted(models.rglob("config.cfg"))
        files += sorted(models.glob("*.npz"))  # the learned extraction layer's weights
    for f in files:
        h.update(str(f.relative_to(PACKAGE_DIR)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


class KgError(Exception):
    """A problem the user can fix (bad input, bad option, locked store): the CLI prints its
    message as one line on stderr and exits non-zero, without a traceback."""
