"""Resolution: which mentions are one entity, labels/aliases, stable keys."""
from kg.articles import Article
from kg.facts import ArticleFacts, Evidence, Mention, Relation
from kg.resolve import resolve


def _facts(text, spans, refs=None, desc=()):
    """Mentions for (surface, kind) in order of first occurrence after the previous one."""
    ms, pos = [], 0
    for i, (surface, kind) in enumerate(spans):
        start = text.index(surface, pos)
        ms.append(Mention(id=f"m{i + 1}", text=surface, start=start, end=start + len(surface),
                          kind=kind, is_description=surface in desc))
        pos = start + 1
    for mid, ref in (refs or {}).items():
        next(m for m in ms if m.id == mid).ref = ref
    return ArticleFacts(mentions=ms)


def _groups(res):
    return sorted(sorted([res.facts.mention(i).text for i in e.mention_ids]) for e in res.entities)


def test_legal_suffixes_merge_other_words_do_not():
    text = ("Orbix punta in alto. Orbix Group Holding investe; Orbix Group guida Orbix Cloud, "
            "mentre Orbix Cloud Lab e Vendo e Vendo Plus crescono.")
    facts = _facts(text, [("Orbix", "Company"), ("Orbix Group Holding", "Company"),
                          ("Orbix Group", "Company"), ("Orbix Cloud", "Company"),
                          ("Orbix Cloud Lab", "Company"), ("Vendo", "Platform"),
                          ("Vendo Plus", "Platform")])
    res = resolve(Article(id="a", text=text, lang="it"), facts)
    assert _groups(res) == sorted([
        ["Orbix", "Orbix Group", "Orbix Group Holding"], ["Orbix Cloud"], ["Orbix Cloud Lab"],
        ["Vendo"], ["Vendo Plus"]])
    orbix = res.entity(res.entity_of["m1"])
    assert orbix.label == "Orbix Group Holding"
    assert orbix.aliases == ["Orbix", "Orbix Group"]
    assert orbix.key == "company/orbix"


def test_acronym_partnership_and_surnames():
    text = ("La New York Stock Exchange (NYSE) e Smith, Jones & Co. trattano. Smith vende. "
            "Mario Rossi parla; poi Rossi tace.")
    facts = _facts(text, [("New York Stock Exchange", "Company"), ("NYSE", "Company"),
                          ("Smith, Jones & Co.", "Company"), ("Smith", "Company"),
                          ("Mario Rossi", "Person"), ("Rossi", "Person")])
    res = resolve(Article(id="a", text=text, lang="it"), facts)
    assert _groups(res) == sorted([["NYSE", "New York Stock Exchange"],
                                   ["Smith", "Smith, Jones & Co."], ["Mario Rossi", "Rossi"]])


def test_homonyms_of_different_types_stay_apart():
    text = "Mario Rossi (Rossi) vota; Rossi, la società, no."
    facts = _facts(text, [("Mario Rossi", "Person"), ("Rossi", "Company"), ("Rossi", "Company")])
    res = resolve(Article(id="a", text=text, lang="it"), facts)
    kinds = sorted((e.kind, e.label) for e in res.entities)
    assert kinds == [("Company", "Rossi"), ("Person", "Mario Rossi")]


def test_descriptions_become_aliases():
    text = "Zentro cresce. Il gruppo di Varese assume."
    facts = _facts(text, [("Zentro", "Company"), ("gruppo di Varese", "Company"),
                          ("Varese", "Place")], refs={"m2": "m1"}, desc={"gruppo di Varese"})
    res = resolve(Article(id="a", text=text, lang="it"), facts)
    z = res.entity(res.entity_of["m2"])
    assert z.label == "Zentro" and z.aliases == ["gruppo di Varese"]
    assert res.entity_of["m3"] != res.entity_of["m1"]


def test_new_company_is_not_an_older_one_with_a_suffix():
    text = "Globex Inc. merges. The new company, to be called Globex Holdings, grows."
    facts = _facts(text, [("Globex Inc.", "Company"), ("new company", "Company"),
                          ("Globex Holdings", "Company")],
                   refs={"m2": "m3"}, desc={"new company"})
    res = resolve(Article(id="a", text=text, lang="en"), facts)
    assert res.entity_of["m1"] != res.entity_of["m3"]
    assert res.entity_of["m2"] == res.entity_of["m3"]


def test_keys_are_stable_across_articles_and_ascii():
    a = resolve(Article(id="a", text="Société Générale S.A. compra.", lang="it"),
                _facts("Société Générale S.A. compra.", [("Société Générale S.A.", "Company")]))
    b = resolve(Article(id="b", text="Poi Société Générale vende.", lang="it"),
                _facts("Poi Société Générale vende.", [("Société Générale", "Company")]))
    assert a.entities[0].key == b.entities[0].key == "company/societe-generale"


def test_duplicate_relations_collapse_and_operators_do_not_sell():
    text = "Orbix gestisce Vendo. Orbix Group, su Vendo, vende. Orbix ha Vendo."
    facts = _facts(text, [("Orbix", "Company"), ("Vendo", "Platform"), ("Orbix Group", "Company"),
                          ("Vendo", "Platform"), ("Orbix", "Company"), ("Vendo", "Platform")])
    ev = lambda c: Evidence("x", 0, 1, c, "t")  # noqa: E731
    facts.relations = [Relation("m1", "operates", "m2", ev(0.6)),
                       Relation("m3", "operates", "m4", ev(0.9)),
                       Relation("m3", "sellsOn", "m4", ev(0.7))]
    res = resolve(Article(id="a", text=text, lang="it"), facts)
    assert [(r.predicate, r.evidence.confidence) for r in res.facts.relations] == [
        ("operates", 0.9)]


def test_generic_lead_words_do_not_change_the_key_business_words_do():
    a = resolve(Article(id="a", text="Gruppo Alfa cresce.", lang="it"),
                _facts("Gruppo Alfa cresce.", [("Gruppo Alfa", "Company")]))
    b = resolve(Article(id="b", text="Alfa S.p.A. cala.", lang="it"),
                _facts("Alfa S.p.A. cala.", [("Alfa S.p.A.", "Company")]))
    c = resolve(Article(id="c", text="Banca Alfa cresce.", lang="it"),
                _facts("Banca Alfa cresce.", [("Banca Alfa", "Company")]))
    assert a.entities[0].key == b.entities[0].key == "company/alfa"
    assert c.entities[0].key == "company/banca-alfa"


def test_names_sharing_a_head_word_are_different_firms_it():
    """Issue 13.7 ("Banca Generali" was merged into "Assicurazioni Generali"), invented names."""
    text = ("Banca Veltria e Assicurazioni Veltria firmano. Veltria, il gruppo, cresce; "
            "Assicurazioni Veltria vende.")
    facts = _facts(text, [("Banca Veltria", "Company"), ("Assicurazioni Veltria", "Company"),
                          ("Veltria", "Company"), ("Assicurazioni Veltria", "Company")])
    res = resolve(Article(id="a", text=text, lang="it"), facts)
    assert _groups(res) == sorted([["Banca Veltria"], ["Assicurazioni Veltria"] * 2, ["Veltria"]])
    # keys are per name, so the two firms do not meet in another article either
    other = resolve(Article(id="b", text="Assicurazioni Veltria.", lang="it"),
                    _facts("Assicurazioni Veltria.", [("Assicurazioni Veltria", "Company")]))
    assert other.entities[0].key == res.entity_of["m2"] != res.entity_of["m1"]


def test_names_sharing_a_head_word_merge_on_alias_evidence_it():
    text = "Banca Veltria (Veltria) cresce. La banca triestina assume; Assicurazioni Veltria no."
    facts = _facts(text, [("Banca Veltria", "Company"), ("Veltria", "Company"),
                          ("banca triestina", "Company"), ("Assicurazioni Veltria", "Company")],
                   refs={"m3": "m1"}, desc={"banca triestina"})
    short = facts.mentions[1]  # the bracketed one, not the "Veltria" inside "Banca Veltria"
    short.start = text.index("(Veltria)") + 1
    short.end = short.start + len("Veltria")
    res = resolve(Article(id="a", text=text, lang="it"), facts)
    assert _groups(res) == sorted([["Banca Veltria", "Veltria", "banca triestina"],
                                   ["Assicurazioni Veltria"]])
    e = res.entity(res.entity_of["m1"])
    assert e.label == "Banca Veltria" and e.aliases == ["Veltria", "banca triestina"]


def test_names_sharing_a_head_word_are_different_firms_en():
    text = ("Bank Harrowby and Harrowby Insurance agreed. The Harrowby Group (Harrowby) grows, "
            "while Bank Harrowby (Northgate Holdings) and Harrowby Insurance wait.")
    facts = _facts(text, [("Bank Harrowby", "Company"), ("Harrowby Insurance", "Company"),
                          ("The Harrowby Group", "Company"), ("Harrowby", "Company"),
                          ("Bank Harrowby", "Company"), ("Northgate Holdings", "Company"),
                          ("Harrowby Insurance", "Company")])
    res = resolve(Article(id="a", text=text, lang="en"), facts)
    assert _groups(res) == sorted([["Bank Harrowby"] * 2, ["Harrowby Insurance"] * 2,
                                   ["Harrowby", "The Harrowby Group"], ["Northgate Holdings"]])


def test_names_in_other_scripts_get_distinct_readable_stable_keys():
    """Issue 13.6: every non-Latin name used to get the key "x" (one node for a whole corpus)."""
    text = "Газпром и Роснефть: Алексей Миллер. Ελληνικά Πετρέλαια και Γιάννης Παπαδόπουλος."
    facts = _facts(text, [("Газпром", "Company"), ("Роснефть", "Company"),
                          ("Алексей Миллер", "Person"), ("Ελληνικά Πετρέλαια", "Company"),
                          ("Γιάννης Παπαδόπουλος", "Person")])
    res = resolve(Article(id="a", text=text, lang="en"), facts)
    keys = [res.entity_of[f"m{i}"] for i in range(1, 6)]
    assert len(set(keys)) == 5
    assert all(k.isascii() and " " not in k for k in keys)
    assert keys[0].startswith("company/gazprom-") and keys[2].startswith("person/aleksey-miller-")
    # the same name in another article (case and accents aside) and another run: the same key
    again = resolve(Article(id="b", text="ΕΛΛΗΝΙΚΑ ΠΕΤΡΕΛΑΙΑ.", lang="en"),
                    _facts("ΕΛΛΗΝΙΚΑ ΠΕΤΡΕΛΑΙΑ.", [("ΕΛΛΗΝΙΚΑ ΠΕΤΡΕΛΑΙΑ", "Company")]))
    assert again.entities[0].key == keys[3]


def test_names_whose_transliterations_collide_keep_apart():
    """Homophones in Chinese, or a Latin spelling of a Cyrillic name, transliterate alike:
    a short hash of the spelling keeps their keys apart."""
    text = "李宁 e 理宁 e 利宁; Газпром e Gazprom; ★ e ☆."
    names = ["李宁", "理宁", "利宁", "Газпром", "Gazprom", "★", "☆"]
    res = resolve(Article(id="a", text=text, lang="it"),
                  _facts(text, [(n, "Company") for n in names]))
    keys = [res.entity_of[f"m{i}"] for i in range(1, len(names) + 1)]
    assert len(set(keys)) == len(names)
    # keys are a function of the name, not of the article: no "-2" counters decide them
    alone = resolve(Article(id="b", text="理宁.", lang="it"), _facts("理宁.", [("理宁", "Company")]))
    assert alone.entities[0].key == keys[1]
    assert keys[4] == "company/gazprom"


def test_latin_keys_do_not_change_and_letters_are_not_dropped():
    from kg.extract.names import slug

    assert slug("Smeg") == "smeg" and slug("Tmall Global") == "tmall-global"
    assert slug("Société Générale") == "societe-generale" and slug("Foo®") == "foo"
    # Latin letters that accent folding used to drop are spelled out, without a hash
    assert slug("Ørsted") == "orsted" and slug("Łódź") == "lodz"


def test_other_scripts_are_not_typed_or_merged_as_one_name():
    """End to end (extract + resolve on a hand-built Doc): two companies and a person in
    Cyrillic stay three entities of their own kinds."""
    import spacy

    from kg.extract import extract

    text = "Газпром и Роснефть подписали соглашение. Алексей Миллер сказал."
    doc = spacy.blank("en").make_doc(text)
    spans = [doc.char_span(text.index(s), text.index(s) + len(s), label=lab)
             for s, lab in [("Газпром", "ORG"), ("Роснефть", "ORG"), ("Алексей Миллер", "PER")]]
    doc.ents = spans
    art = Article(id="t", text=text, lang="en")
    res = resolve(art, extract(doc, art))
    ents = {e.label: e for e in res.entities}
    assert {"Газпром", "Роснефть", "Алексей Миллер"} <= set(ents)
    assert len({ents[n].key for n in ("Газпром", "Роснефть", "Алексей Миллер")}) == 3
    assert ents["Алексей Миллер"].kind == "Person"
