"""Hand-built test graphs for the viz/network/export tests, written through the contracts.

Two small articles are described as Facts (Article + Resolved, as resolve would hand them to
rdf), turned into triples by `kg.rdf.article_graph` and loaded into a store, so the tests read
exactly what a real build writes. Names come from the dev-eval gold (allowed in tests).
"""
from __future__ import annotations

from kg.articles import Article
from kg.facts import (ArticleFacts, Entity, Evidence, Investment, Mention, MoneyAmount, Position,
                      Relation, Resolved)
from kg.store import to_ox

IT_TEXT = (
    "Alibaba porta mille brand globali su Tmall e Tmall Global. "
    "Monnalisa e Smeg vendono sulle piattaforme Tmall e Tmall Global. "
    "Alibaba.com è il marketplace all'ingrosso del gruppo di Hangzhou. "
    "Alibaba Group Holding investirà 200 miliardi di yuan in infrastrutture cloud. "
    "Jeff Zhang, presidente di Alibaba Cloud Intelligence, ha commentato. "
    "Alibaba Cloud è l'unità cloud di Alibaba. "
    "Le aziende possono affacciarsi sul mercato cinese."
)
EN_TEXT = (
    "Kmart to buy Sears for US$11 billion\n\n"
    "Kmart Holding Corp said it will buy Sears, Roebuck and Co for $11 billion. "
    "Edward Lampert, chairman of Kmart, will lead the new company, Sears Holdings. "
    "Sears is based in Hoffman Estates."
)


def _ev(text: str, fragment: str, confidence: float = 0.9) -> Evidence:
    """Evidence for the sentence of `text` that contains `fragment`."""
    at = text.index(fragment)
    start = text.rfind(". ", 0, at)
    start = 0 if start < 0 else start + 2
    if text.startswith("Kmart to buy") and start < text.index("\n\n") + 2 and at > text.index("\n\n"):
        start = text.index("\n\n") + 2
    end = text.find(". ", at)
    end = len(text) if end < 0 else end + 1
    return Evidence(sentence=text[start:end], start=start, end=end, confidence=confidence,
                    extractor="test")


def _mentions(text: str, items: list[tuple[str, str, str]]) -> list[Mention]:
    out = []
    for mid, surface, kind in items:
        at = text.index(surface)
        out.append(Mention(id=mid, text=surface, start=at, end=at + len(surface), kind=kind))
    return out


def italian_article() -> tuple[Article, Resolved]:
    text = IT_TEXT
    mentions = _mentions(text, [
        ("m1", "Alibaba", "Company"), ("m2", "Tmall", "Platform"),
        ("m3", "Tmall Global", "Platform"), ("m4", "Monnalisa", "Company"),
        ("m5", "Smeg", "Company"), ("m6", "Alibaba.com", "Platform"),
        ("m7", "Hangzhou", "Place"), ("m8", "Alibaba Group Holding", "Company"),
        ("m9", "Jeff Zhang", "Person"), ("m10", "Alibaba Cloud Intelligence", "Company"),
        ("m11", "Alibaba Cloud", "Company"), ("m12", "mercato cinese", "Market"),
    ])
    rel = [
        Relation("m1", "operates", "m2", _ev(text, "mille brand")),
        Relation("m1", "operates", "m3", _ev(text, "mille brand")),
        Relation("m4", "sellsOn", "m2", _ev(text, "Monnalisa e Smeg")),
        Relation("m4", "sellsOn", "m3", _ev(text, "Monnalisa e Smeg")),
        Relation("m5", "sellsOn", "m2", _ev(text, "Monnalisa e Smeg")),
        Relation("m5", "sellsOn", "m3", _ev(text, "Monnalisa e Smeg")),
        Relation("m1", "operates", "m6", _ev(text, "all'ingrosso")),
        Relation("m1", "headquarteredIn", "m7", _ev(text, "all'ingrosso")),
        Relation("m11", "subsidiaryOf", "m1", _ev(text, "l'unità cloud")),
        Relation("m1", "targetsMarket", "m12", _ev(text, "mercato cinese"), status=None),
    ]
    inv = [Investment(
        investor="m8", evidence=_ev(text, "200 miliardi"),
        target_description="infrastrutture cloud",
        amount=MoneyAmount(200_000_000_000, "CNY", "200 miliardi di yuan"),
        kind="investment", status="planned")]
    pos = [Position(holder="m9", role_title="presidente", evidence=_ev(text, "presidente"),
                    organization="m10")]
    facts = ArticleFacts(mentions=mentions, relations=rel, investments=inv, positions=pos)
    entities = [
        Entity("company/alibaba", "Company", "Alibaba Group Holding",
               ["Alibaba", "il gruppo di Hangzhou"], ["m1", "m8"]),
        Entity("platform/tmall", "Platform", "Tmall", [], ["m2"]),
        Entity("platform/tmall-global", "Platform", "Tmall Global", [], ["m3"]),
        Entity("company/monnalisa", "Company", "Monnalisa", [], ["m4"]),
        Entity("company/smeg", "Company", "Smeg", [], ["m5"]),
        Entity("platform/alibaba-com", "Platform", "Alibaba.com", [], ["m6"]),
        Entity("place/hangzhou", "Place", "Hangzhou", [], ["m7"]),
        Entity("person/jeff-zhang", "Person", "Jeff Zhang", [], ["m9"]),
        Entity("company/alibaba-cloud-intelligence", "Company", "Alibaba Cloud Intelligence",
               [], ["m10"]),
        Entity("company/alibaba-cloud", "Company", "Alibaba Cloud", [], ["m11"]),
        Entity("market/mercato-cinese", "Market", "mercato cinese", [], ["m12"]),
    ]
    entity_of = {m: e.key for e in entities for m in e.mention_ids}
    article = Article(id="it_alibaba", text=text, title=None, lang="it", source="it_alibaba.txt")
    return article, Resolved(facts=facts, entities=entities, entity_of=entity_of)


def english_article() -> tuple[Article, Resolved]:
    text = EN_TEXT
    mentions = _mentions(text, [
        ("m1", "Kmart Holding Corp", "Company"), ("m2", "Sears, Roebuck and Co", "Company"),
        ("m3", "Edward Lampert", "Person"), ("m4", "Sears Holdings", "Company"),
        ("m5", "Hoffman Estates", "Place"),
    ])
    rel = [
        Relation("m1", "acquires", "m2", _ev(text, "will buy")),
        Relation("m2", "headquarteredIn", "m5", _ev(text, "based in")),
        Relation("m1", "mergesWith", "m2", _ev(text, "will buy"), status="announced"),
    ]
    inv = [Investment(investor="m1", target="m2", evidence=_ev(text, "will buy"),
                      amount=MoneyAmount(11_000_000_000, "USD", "$11 billion"),
                      kind="acquisition", status="announced")]
    pos = [Position(holder="m3", role_title="chairman", evidence=_ev(text, "chairman"),
                    organization="m1")]
    facts = ArticleFacts(mentions=mentions, relations=rel, investments=inv, positions=pos)
    entities = [
        Entity("company/kmart", "Company", "Kmart Holding Corp", ["Kmart"], ["m1"]),
        Entity("company/sears", "Company", "Sears, Roebuck and Co", ["Sears"], ["m2"]),
        Entity("person/edward-lampert", "Person", "Edward Lampert", [], ["m3"]),
        Entity("company/sears-holdings", "Company", "Sears Holdings", [], ["m4"]),
        Entity("place/hoffman-estates", "Place", "Hoffman Estates", [], ["m5"]),
    ]
    entity_of = {m: e.key for e in entities for m in e.mention_ids}
    article = Article(id="en_kmart", text=text, title="Kmart to buy Sears for US$11 billion",
                      lang="en", source="en_kmart.txt")
    return article, Resolved(facts=facts, entities=entities, entity_of=entity_of)


def load_store(store, articles=None):
    """Write the articles' graphs into `store` (a kg Store or a bare pyoxigraph Store)."""
    from kg.rdf import article_graph

    for article, resolved in articles or (italian_article(), english_article()):
        graph = article_graph(article, resolved, "test-1")
        if hasattr(store, "replace_article"):
            store.replace_article(article, graph)
        else:
            import pyoxigraph as ox

            g = ox.NamedNode(f"https://w3id.org/kg/article/{article.hash}")
            for s, p, o in graph:
                store.add(ox.Quad(to_ox(s), to_ox(p), to_ox(o), g))
    return store
