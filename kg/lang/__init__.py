"""Per-language data for kg's rules: ``get("it")`` / ``get("en")``.

Each language lives in its own module (``kg/lang/it.py``, ``kg/lang/en.py``) filling a
:class:`kg.lang.base.LangData`; it is imported only when that language is asked for.
"""
from __future__ import annotations

import importlib
from functools import lru_cache

from kg.lang.base import LangData

SUPPORTED = ("it", "en")


@lru_cache(maxsize=None)
def get(lang: str) -> LangData:
    """The LangData of `lang` ("it", "en"); ValueError for a language kg has no data for."""
    code = (lang or "").lower().split("_")[0].split("-")[0]
    if code not in SUPPORTED:
        raise ValueError(f"no language data for {lang!r} (supported: {', '.join(SUPPORTED)})")
    return importlib.import_module(f"kg.lang.{code}").LANG


__all__ = ["LangData", "get", "SUPPORTED"]
