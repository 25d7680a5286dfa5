"""Hand-made Resolved facts for the RDF and query tests (no spaCy, no trained model).

`seed_article()` / `seed_resolved()` encode what the gold annotation of the seed article
(../shared/dev-eval/gold/00_it_alibaba_tmall_seed.json) states, with offsets computed from
the seed text in seeds/. `second_article()` / `second_resolved()` is a small invented English
article that shares two companies with the seed, has a subsidiary chain, a merger, an
acquisition with a price, a former position and a market with a geography, so every query
has something to find.
"""
from __future__ import annotations

import re
from pathlib import Path

from paths import SHARED

from kg.articles import Article
from kg.facts import (
    ArticleFacts,
    Entity,
    Evidence,
    Investment,
    Mention,
    MoneyAmount,
    Position,
    Relation,
    Resolved,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "00_it_alibaba_tmall_seed.txt"
GOLD = SHARED / "dev-eval" / "gold"

EXTRACTOR = "test-hand-made"


def sentence_of(text: str, start: int, end: int) -> Evidence:
    """Evidence for the sentence around text[start:end] (split after . ! ? » and at blank lines)."""
    bounds = [0] + [m.end() for m in re.finditer(r"(?<=[.!?»])\s+|\n\n", text)] + [len(text)]
    s = max(b for b in bounds if b <= start)
    e = min(b for b in bounds if b >= end)
    sentence = text[s:e].rstrip()
    return Evidence(sentence=sentence, start=s, end=s + len(sentence), confidence=0.9,
                    extractor=EXTRACTOR)


class _Builder:
    """Adds mentions by surface form (n-th occurrence) and facts between them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.mentions: list[Mention] = []
        self.entity_of: dict[str, str] = {}
        self.entities: dict[str, Entity] = {}

    def entity(self, key: str, kind: str, label: str, aliases: tuple[str, ...] = ()) -> None:
        self.entities[key] = Entity(key=key, kind=kind, label=label, aliases=list(aliases))

    def mention(self, key: str, surface: str, nth: int = 0, after: str | None = None) -> str:
        """A mention of entity `key`: the nth occurrence of `surface` (after `after`)."""
        pos = self.text.index(after) if after else 0
        start = self.text.index(surface, pos)
        for _ in range(nth):
            start = self.text.index(surface, start + 1)
        mid = f"m{len(self.mentions)}"
        entity = self.entities[key]
        self.mentions.append(Mention(id=mid, text=surface, start=start, end=start + len(surface),
                                     kind=entity.kind))
        entity.mention_ids.append(mid)
        self.entity_of[mid] = key
        return mid

    def evidence(self, words: str) -> Evidence:
        start = self.text.index(words)
        return sentence_of(self.text, start, start + len(words))

    def resolved(self, relations, investments, positions) -> Resolved:
        facts = ArticleFacts(mentions=self.mentions, relations=relations,
                             investments=investments, positions=positions)
        return Resolved(facts=facts, entities=list(self.entities.values()),
                        entity_of=dict(self.entity_of))


def seed_article() -> Article:
    return Article(id="00_it_alibaba_tmall_seed", text=SEED.read_text(encoding="utf-8"),
                   lang="it", source="seeds/00_it_alibaba_tmall_seed.txt")


def seed_resolved() -> Resolved:
    b = _Builder(seed_article().text)
    b.entity("company/alibaba-group-holding", "Company", "Alibaba Group Holding",
             ("Alibaba Group", "Alibaba", "gruppo di Hangzhou", "colosso dell’e-commerce"))
    b.entity("platform/tmall", "Platform", "Tmall")
    b.entity("platform/tmall-global", "Platform", "Tmall Global")
    b.entity("platform/alibaba.com", "Platform", "Alibaba.com")
    b.entity("company/alibaba-cloud-intelligence", "Company", "Alibaba Cloud Intelligence",
             ("Alibaba Cloud",))
    b.entity("place/cina", "Place", "Cina", ("Dragone",))
    b.entity("place/hangzhou", "Place", "Hangzhou")
    b.entity("place/italia", "Place", "Italia")
    b.entity("place/spagna", "Place", "Spagna")
    b.entity("market/mercato-cinese", "Market", "mercato cinese")
    b.entity("company/monnalisa", "Company", "Monnalisa")
    b.entity("company/smeg", "Company", "Smeg")
    b.entity("company/l-amande", "Company", "L’Amande")
    b.entity("person/rodrigo-cipriani-foresio", "Person", "Rodrigo Cipriani Foresio")
    b.entity("person/jeff-zhang", "Person", "Jeff Zhang")

    ali1 = b.mention("company/alibaba-group-holding", "Alibaba")
    tmall1 = b.mention("platform/tmall", "Tmall")
    ali_users = b.mention("company/alibaba-group-holding", "Alibaba", after="650 milioni")
    tmall2 = b.mention("platform/tmall", "Tmall", after="sulle piattaforme")
    tg2 = b.mention("platform/tmall-global", "Tmall Global", after="sulle piattaforme")
    monnalisa = b.mention("company/monnalisa", "Monnalisa")
    smeg = b.mention("company/smeg", "Smeg")
    lamande = b.mention("company/l-amande", "L’Amande")
    alicom = b.mention("platform/alibaba.com", "Alibaba.com")
    gruppo = b.mention("company/alibaba-group-holding", "gruppo di Hangzhou")
    hangzhou = b.mention("place/hangzhou", "Hangzhou")
    rodrigo = b.mention("person/rodrigo-cipriani-foresio", "Rodrigo Cipriani Foresio")
    ali_group = b.mention("company/alibaba-group-holding", "Alibaba Group", after="general manager")
    italia = b.mention("place/italia", "Italia")
    spagna = b.mention("place/spagna", "Spagna")
    holding = b.mention("company/alibaba-group-holding", "Alibaba Group Holding")
    cloud = b.mention("company/alibaba-cloud-intelligence", "Alibaba Cloud", after="colosso")
    colosso = b.mention("company/alibaba-group-holding", "colosso dell’e-commerce")
    jeff = b.mention("person/jeff-zhang", "Jeff Zhang")
    aci = b.mention("company/alibaba-cloud-intelligence", "Alibaba Cloud Intelligence")
    b.mention("place/cina", "Cina")
    b.mention("place/cina", "Dragone")
    b.mention("market/mercato-cinese", "mercato cinese")

    store_ev = b.evidence("i flagship store sulle piattaforme Tmall e Tmall Global")
    relations = [
        Relation(ali1, "operates", tmall1, b.evidence("sulla propria piattaforma Tmall")),
        Relation(ali_users, "operates", tg2, store_ev),
        Relation(gruppo, "operates", alicom, b.evidence("Alibaba.com, il marketplace")),
        Relation(gruppo, "headquarteredIn", hangzhou, b.evidence("del gruppo di Hangzhou")),
        Relation(cloud, "subsidiaryOf", colosso, b.evidence("dell’unità cloud del colosso")),
    ]
    for seller in (monnalisa, smeg, lamande):
        for platform in (tmall2, tg2):
            relations.append(Relation(seller, "sellsOn", platform, store_ev))
    investments = [
        Investment(
            investor=holding,
            evidence=b.evidence("Alibaba Group Holding investirà 200 miliardi di yuan"),
            target_description="infrastrutture cloud",
            amount=MoneyAmount(200000000000, "CNY", "200 miliardi di yuan"),
            kind="investment", period="P3Y", period_text="prossimi tre anni",
            status="announced",
            equivalents=[MoneyAmount(28280000000, "USD", "28,28 miliardi di dollari")],
        )
    ]
    positions = [
        Position(rodrigo, "general manager", b.evidence("Rodrigo Cipriani Foresio, general manager"),
                 organization=ali_group, region=italia),
        Position(rodrigo, "general manager", b.evidence("Rodrigo Cipriani Foresio, general manager"),
                 organization=ali_group, region=spagna),
        Position(jeff, "presidente", b.evidence("Jeff Zhang, presidente"), organization=aci),
    ]
    return b.resolved(relations, investments, positions)


SECOND_TEXT = (
    "Northwind Holdings to buy Contoso\n\n"
    "Northwind Holdings agreed to buy Contoso for $1.2bn, the company said on Monday. "
    "Contoso, based in Seattle, is a unit of Fabrikam Group, itself owned by Tailspin Capital. "
    "Northwind Holdings will merge with Litware after the deal. "
    "Northwind also sells Smeg appliances and competes with Alibaba Group Holding in the "
    "European cloud market. "
    "Jane Roe, the former chief executive of Contoso, will join Northwind Holdings. "
    "The Competition Board must approve the deal."
)


def second_article() -> Article:
    return Article(id="en_northwind_contoso", text=SECOND_TEXT,
                   title="Northwind Holdings to buy Contoso", lang="en", date="2024-03-04",
                   source="tests/second.txt", url="https://example.org/news/northwind-contoso")


def second_resolved() -> Resolved:
    b = _Builder(SECOND_TEXT)
    b.entity("company/northwind-holdings", "Company", "Northwind Holdings", ("Northwind",))
    b.entity("company/contoso", "Company", "Contoso")
    b.entity("company/fabrikam-group", "Company", "Fabrikam Group")
    b.entity("company/tailspin-capital", "Company", "Tailspin Capital")
    b.entity("company/litware", "Company", "Litware")
    b.entity("company/smeg", "Company", "Smeg")
    b.entity("company/alibaba-group-holding", "Company", "Alibaba Group Holding")
    b.entity("place/seattle", "Place", "Seattle")
    b.entity("place/europe", "Place", "Europe")
    b.entity("market/european-cloud-market", "Market", "European cloud market")
    b.entities["market/european-cloud-market"].sector = "cloud"
    b.entity("person/jane-roe", "Person", "Jane Roe")
    b.entity("organization/competition-board", "Organization", "Competition Board")

    nw = b.mention("company/northwind-holdings", "Northwind Holdings", after="\n\n")
    contoso = b.mention("company/contoso", "Contoso", after="\n\n")
    contoso2 = b.mention("company/contoso", "Contoso", after="$1.2bn")
    seattle = b.mention("place/seattle", "Seattle")
    fabrikam = b.mention("company/fabrikam-group", "Fabrikam Group")
    tailspin = b.mention("company/tailspin-capital", "Tailspin Capital")
    nw_merge = b.mention("company/northwind-holdings", "Northwind Holdings", after="Tailspin")
    litware = b.mention("company/litware", "Litware")
    nw_short = b.mention("company/northwind-holdings", "Northwind", after="deal.")
    b.mention("company/smeg", "Smeg")
    ali = b.mention("company/alibaba-group-holding", "Alibaba Group Holding")
    market = b.mention("market/european-cloud-market", "European cloud market")
    jane = b.mention("person/jane-roe", "Jane Roe")
    contoso3 = b.mention("company/contoso", "Contoso", after="chief executive")
    b.mention("company/northwind-holdings", "Northwind Holdings", after="Jane Roe")
    b.mention("organization/competition-board", "Competition Board")

    relations = [
        Relation(nw, "acquires", contoso, b.evidence("agreed to buy Contoso")),
        Relation(contoso2, "headquarteredIn", seattle, b.evidence("based in Seattle")),
        Relation(contoso2, "subsidiaryOf", fabrikam, b.evidence("is a unit of Fabrikam")),
        Relation(fabrikam, "subsidiaryOf", tailspin, b.evidence("owned by Tailspin")),
        # stated litware <-> northwind; stored once whichever way round it comes
        Relation(litware, "mergesWith", nw_merge, b.evidence("will merge with Litware")),
        Relation(nw_short, "competesWith", ali, b.evidence("competes with Alibaba")),
        Relation(nw_short, "targetsMarket", market, b.evidence("European cloud market")),
        Relation(market, "geography", b.mention("place/europe", "European"),
                 b.evidence("European cloud market")),
    ]
    investments = [
        Investment(investor=nw, target=contoso, evidence=b.evidence("agreed to buy Contoso"),
                   amount=MoneyAmount(1200000000, "USD", "$1.2bn"), kind="acquisition",
                   status="announced"),
    ]
    positions = [
        Position(jane, "chief executive", b.evidence("Jane Roe, the former chief executive"),
                 organization=contoso3, status="former"),
    ]
    return b.resolved(relations, investments, positions)
