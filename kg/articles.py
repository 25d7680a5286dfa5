"""Articles: the unit kg reads. Readers for .txt, .md, .html and .jsonl live here."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Article:
    """One news article.

    `text` is the full text the extractor reads, title included as its first paragraph
    when there is one ("Title\\n\\nBody..."); every character offset in kg points into it.
    `id` is the stable source id (the file stem, or the JSONL `id`): building a changed
    article with the same id replaces the old one. `hash` is the content hash that names
    the article's graph.
    """

    id: str
    text: str
    title: str | None = None
    lang: str | None = None  # "it" / "en"; None = detect
    date: str | None = None  # ISO 8601 date when known
    source: str | None = None  # path or URL it was read from
    url: str | None = None

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:20]
