"""Extraction: a spaCy Doc of an article -> ArticleFacts (mentions, relations, positions,
investments), each fact with evidence (sentence, offsets, confidence, extractor).

    facts = kg.extract.extract(doc, article)

The Doc needs entities (PER/ORG/LOC from the NER; MONEY/PERCENT/DATE from kg_numeric are
welcome but not required: amounts are re-read from the text). No parser is needed: sentences
come from kg.extract.sentences, and the rules match templated sentences (kg.extract.context)
with cue words from kg.lang. Nothing here knows a single company name.
"""
from __future__ import annotations

from kg import lang as langdata
from kg.extract import anaphora as _ana
from kg.extract import descriptions as _desc
from kg.extract import investments as _inv
from kg.extract import kinds as _typ
from kg.extract import learned as _learned
from kg.extract import mentions as _men
from kg.extract import relations as _rel
from kg.extract.context import Ctx, build_slots
from kg.extract.sentences import split_sentences
from kg.facts import ArticleFacts

__all__ = ["extract", "analyse"]


def _lang_of(doc, article) -> str:
    lang = (getattr(article, "lang", None) or getattr(doc, "lang_", None) or "it")
    return lang if lang in langdata.SUPPORTED else "en"


def extract(doc, article) -> ArticleFacts:
    """All facts of one article. `doc.text` must equal `article.text`."""
    ctx, slots = analyse(doc, article)
    _learned.learned_relations(ctx, doc)
    _inv.investments(ctx, slots)
    _men.drop_unused_brands(ctx)
    return ctx.facts


def analyse(doc, article, typing_log: list | None = None) -> tuple[Ctx, dict[str, str]]:
    """The passes before the learned relation layer: mentions, their types, descriptions, and
    the precise rules' relations and positions (what `training.extract` learns from).
    `typing_log` (training) receives (text, start, end, features, the rules' type or None,
    the rule votes' margin) of every mention the typing pass decides on."""
    if doc.text != article.text:
        raise ValueError("extract: doc.text differs from article.text")
    lang = _lang_of(doc, article)
    data = langdata.get(lang)
    ctx = Ctx(text=article.text, lang=lang, data=data, sents=split_sentences(article.text, lang),
              typing_log=typing_log)
    slots = build_slots(data)

    _men.named_mentions(ctx, doc)
    _men.domain_mentions(ctx)
    _men.extra_names(ctx)
    _men.source_names(ctx)
    _men.extend_place_names(ctx)
    _men.extend_org_nouns(ctx)
    _men.join_place_org_names(ctx)
    _men.candidate_names(ctx)
    _men.clean_mentions(ctx)
    _men.drop_non_entities(ctx)
    ctx.sort_mentions()
    _typ.type_mentions(ctx)
    _men.market_mentions(ctx, doc)
    _men.regulator_mentions(ctx)
    _men.epithet_mentions(ctx)
    _men.bracket_acronyms(ctx)
    ctx.sort_mentions()
    _desc.org_noun_descriptions(ctx)
    _desc.descriptions(ctx, slots)
    ctx.sort_mentions()
    _desc.description_facts(ctx, slots)

    _men.market_geography(ctx)
    _rel.relations(ctx, slots)
    _rel.hosted_sellers(ctx, slots)
    _rel.positions(ctx, slots)
    _ana.anaphor_mentions(ctx)
    return ctx, slots
