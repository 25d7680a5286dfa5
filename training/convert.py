"""Convert the shared training data (``../shared/data``) to spaCy ``.spacy`` corpora.

Readers for every format the data comes in, each returning a list of sentences
``(words, iob2_tags)`` or spaCy ``Doc`` objects:

* KIND TSV (``token<TAB>IOB2``),
* WikiNEuRal (``index<TAB>token<TAB>IOB2``),
* Universal NER (``id<TAB>token<TAB>IOB2<TAB>-<TAB>annotator`` with ``#`` comments),
* CoNLL-2003 style IOB1 (SEC filings, wikigold; last column is the tag),
* CoNLL-U (UD treebanks; multi-word tokens merged into the surface token, which is
  what spaCy's tokenizer produces at run time: Italian "del", not "di il"),
* the GUM entity layer (``Entity=`` in CoNLL-U MISC) and Re-DocRED typed mentions.

Labels: only PER, ORG and LOC are kept, the ones every source shares.  MISC (and any
other type: GUM ``event``, Re-DocRED ``TIME``/``NUM``...) is mapped to ``O`` in every
source, so no training set teaches MISC and no set contradicts another about it.

``python -m training.convert it --data ../shared/data --out training/corpus`` writes
``ner_{lang}_train.spacy``, ``ner_{lang}_dev.spacy`` (and ``ner_en_news_dev.spacy``),
``ud_{lang}_train.spacy``, ``ud_{lang}_dev.spacy``.
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Iterable, Iterator

from spacy.tokens import Doc, DocBin, Span
from spacy.vocab import Vocab

LABELS = ("PER", "ORG", "LOC")
Sentence = tuple[list[str], list[str]]

#: name map of the GUM entity types to the kg NER labels
GUM_TYPES = {"person": "PER", "organization": "ORG", "place": "LOC"}


# ---------------------------------------------------------------------------
# tag helpers
def clean_tag(tag: str) -> str:
    """Normalise one IOB tag: keep B-/I- of PER/ORG/LOC, everything else -> O."""
    tag = tag.strip()
    if tag in ("", "O", "_") or "-" not in tag:
        return "O"
    prefix, label = tag.split("-", 1)
    label = {"PERSON": "PER", "GPE": "LOC"}.get(label, label)
    if prefix not in ("B", "I") or label not in LABELS:
        return "O"
    return f"{prefix}-{label}"


def iob1_to_iob2(tags: list[str]) -> list[str]:
    """IOB1 (I- starts an entity unless it continues one of the same type) -> IOB2."""
    out: list[str] = []
    prev = "O"
    for t in tags:
        if t.startswith("I-") and (prev == "O" or prev[2:] != t[2:]):
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


def repair_iob2(tags: list[str]) -> list[str]:
    """Make a tag sequence valid IOB2 after label filtering (orphan I- -> B-)."""
    return iob1_to_iob2(tags)


# ---------------------------------------------------------------------------
# readers returning (words, tags)
def _blocks(path: Path) -> Iterator[list[str]]:
    block: list[str] = []
    with path.open(encoding="utf8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if block:
                    yield block
                block = []
            else:
                block.append(line)
    if block:
        yield block


def read_kind(path: Path) -> list[Sentence]:
    """KIND evalita-2023 TSV: ``token<TAB>IOB2``."""
    out = []
    for block in _blocks(path):
        rows = [ln.split("\t") for ln in block]
        words = [r[0] for r in rows]
        tags = [clean_tag(r[-1]) if len(r) > 1 else "O" for r in rows]
        out.append((words, repair_iob2(tags)))
    return out


def read_wikineural(path: Path) -> list[Sentence]:
    """WikiNEuRal: ``index<TAB>token<TAB>IOB2``, MISC -> O."""
    out = []
    for block in _blocks(path):
        rows = [ln.split("\t") for ln in block if not ln.startswith("#")]
        rows = [r for r in rows if len(r) >= 3]
        if rows:
            out.append(([r[1] for r in rows], repair_iob2([clean_tag(r[2]) for r in rows])))
    return out


def read_uner(path: Path) -> list[Sentence]:
    """Universal NER column format (``# comments``; id, token, IOB2, ...)."""
    out = []
    for block in _blocks(path):
        rows = [ln.split("\t") for ln in block if not ln.startswith("#")]
        rows = [r for r in rows if len(r) >= 3 and r[0].isdigit()]
        if rows:
            out.append(([r[1] for r in rows], repair_iob2([clean_tag(r[2]) for r in rows])))
    return out


def read_iob1(path: Path) -> list[Sentence]:
    """CoNLL-2003-style space-separated columns, IOB1 tags in the last column."""
    out = []
    for block in _blocks(path):
        rows = [ln.split() for ln in block if not ln.startswith("-DOCSTART-")]
        rows = [r for r in rows if len(r) >= 2]
        if rows:
            tags = iob1_to_iob2([r[-1] for r in rows])
            out.append(([r[0] for r in rows], repair_iob2([clean_tag(t) for t in tags])))
    return out


_NAME_PARTICLES = {"de", "da", "di", "del", "van", "von", "der", "bin", "al", "la", "le", "du"}
_ENTITY_ITEM = re.compile(r"\(([0-9]+)-([a-z]+)[^()]*?(\))?(?=\(|[0-9]+\)|$)|([0-9]+)\)")


def read_gum_entities(path: Path) -> list[Sentence]:
    """Named PER/ORG/LOC mentions from the GUM entity layer (CoNLL-U MISC ``Entity=``).

    GUM marks every mention (pronouns and common nouns too); a mention counts as a
    named entity when its type is person/organization/place and its syntactic head is
    a PROPN.  A leading determiner is trimmed ("the United States" -> "United States").
    Nested named mentions: the longest wins."""
    out = []
    for block in _blocks(path):
        rows = [ln.split("\t") for ln in block if not ln.startswith("#")]
        rows = [r for r in rows if len(r) == 10 and r[0].isdigit()]
        if not rows:
            continue
        words = [r[1] for r in rows]
        upos = [r[3] for r in rows]
        heads = [int(r[6]) - 1 if r[6].isdigit() else -1 for r in rows]
        open_: dict[str, list[tuple[int, str]]] = {}
        spans: list[tuple[int, int, str]] = []
        for i, r in enumerate(rows):
            m = re.search(r"Entity=([^|]*)", r[9])
            if not m:
                continue
            for it in _ENTITY_ITEM.finditer(m.group(1)):
                eid, etype, selfclose, closer = it.groups()
                if eid is not None:
                    if selfclose:
                        spans.append((i, i + 1, etype))
                    else:
                        open_.setdefault(eid, []).append((i, etype))
                elif closer is not None and open_.get(closer):
                    start, t = open_[closer].pop()
                    spans.append((start, i + 1, t))
        named = []
        for s, e, t in spans:
            if t not in GUM_TYPES:
                continue
            head = [k for k in range(s, e) if not (s <= heads[k] < e)]
            if len(head) != 1 or upos[head[0]] != "PROPN":
                continue
            h = head[0]
            # cut appositions / relative clauses: stop at the first punctuation after the head
            for k in range(h + 1, e):
                if upos[k] == "PUNCT" and words[k] not in ("&", "-", "."):
                    e = k
                    break
            # trim leading determiners and lowercase modifiers ("the", "younger")
            while s < h and (upos[s] in ("DET", "PUNCT") or not words[s][:1].isupper()):
                s += 1
            while e > s and (upos[e - 1] in ("PUNCT", "PART") or words[e - 1] in ("'s", "'")):
                e -= 1
            lab = GUM_TYPES[t]
            if lab == "PER" and any(
                not w[:1].isupper() and w not in _NAME_PARTICLES for w in words[s:e]
            ):
                continue  # titles such as "Emperor of the United States" are not names
            if e > s:
                named.append((s, e, lab))
        tags = ["O"] * len(words)
        for s, e, lab in sorted(named, key=lambda x: -(x[1] - x[0])):
            if all(t == "O" for t in tags[s:e]):
                tags[s] = "B-" + lab
                for k in range(s + 1, e):
                    tags[k] = "I-" + lab
        out.append((words, tags))
    return out


_DEMONYMS = {"German", "French", "Dutch", "Greek", "Thai", "Swiss", "Czech", "Iraqi", "Israeli",
              "Pakistani", "Afghan", "Arab", "Welsh", "Scottish", "Irish", "British", "Polish"}


def _is_demonym(name: str) -> bool:
    """Re-DocRED types nationality adjectives ("German") as LOC; UNER/CoNLL do not."""
    if " " in name or name == "Vatican":
        return False
    return name in _DEMONYMS or name.endswith(("ian", "ean", "ese", "ish", "can"))


def read_redocred(path: Path) -> list[Sentence]:
    """Re-DocRED typed mentions (PER/ORG/LOC kept; TIME/NUM/MISC -> O), one item per sentence."""
    out = []
    for d in json.loads(path.read_text(encoding="utf8")):
        tags = [["O"] * len(s) for s in d["sents"]]
        for vertex in d["vertexSet"]:
            for m in vertex:
                lab = m.get("type")
                if lab not in LABELS or (lab == "LOC" and _is_demonym(m.get("name", ""))):
                    continue
                sid, (s, e) = m["sent_id"], m["pos"]
                row = tags[sid]
                if e <= len(row) and all(t == "O" for t in row[s:e]):
                    row[s] = "B-" + lab
                    for k in range(s + 1, e):
                        row[k] = "I-" + lab
        out.extend(zip(d["sents"], tags))
    return [(list(w), t) for w, t in out]


# ---------------------------------------------------------------------------
# Doc building
def sentences_to_docs(sents: list[Sentence], vocab: Vocab, n_sents: int = 10) -> list[Doc]:
    """Group consecutive sentences into Docs (context for the CNN) with ents and sent starts."""
    docs = []
    for i in range(0, len(sents), n_sents):
        group = [s for s in sents[i : i + n_sents] if s[0]]
        if not group:
            continue
        words: list[str] = []
        tags: list[str] = []
        starts: list[bool] = []
        for w, t in group:
            words.extend(w)
            tags.extend(t)
            starts.extend([True] + [False] * (len(w) - 1))
        words = [w if w.strip() else "_" for w in words]
        doc = Doc(vocab, words=words, sent_starts=starts)
        ents = []
        k = 0
        while k < len(tags):
            if tags[k].startswith("B-"):
                lab = tags[k][2:]
                e = k + 1
                while e < len(tags) and tags[e] == "I-" + lab:
                    e += 1
                ents.append(Span(doc, k, e, label=lab))
                k = e
            else:
                k += 1
        doc.ents = ents
        docs.append(doc)
    return docs


def conllu_docs(paths: Iterable[Path], vocab: Vocab, n_sents: int = 10) -> list[Doc]:
    """UD CoNLL-U -> Docs with tags, POS, morph, lemmas, heads and deps (MWTs merged)."""
    from spacy.training.converters import conllu_to_docs

    docs: list[Doc] = []
    for p in paths:
        text = p.read_text(encoding="utf8")
        docs.extend(conllu_to_docs(text, n_sents=n_sents, merge_subtokens=True, no_print=True))
    return [Doc(vocab).from_bytes(d.to_bytes()) for d in docs]


def save(docs: list[Doc], path: Path) -> None:
    """Write Docs to a ``.spacy`` file and print a one-line summary."""
    path.parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=False).to_disk(path)
    n_tok = sum(len(d) for d in docs)
    n_ent = sum(len(d.ents) for d in docs)
    print(f"[convert] {path.name}: {len(docs)} docs, {n_tok:,} tokens, {n_ent:,} entities", flush=True)


# ---------------------------------------------------------------------------
# evaluation hygiene
def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()


def drop_eval_overlap(sents: list[Sentence], eval_dirs: Iterable[Path], min_chars: int = 40) -> list[Sentence]:
    """Training sentences that occur in an evaluation article, removed.

    KIND's Wikinews train split shares sentences with the Wikinews articles of
    ../shared/dev-eval: a model trained on them has seen the evaluation text. Sentences are
    compared without spaces and punctuation (the TSVs are tokenised, the articles are not);
    short ones (< min_chars letters) are kept, they are too generic to leak an article."""
    haystack = "\n".join(_squash(f.read_text(encoding="utf-8")) for d in eval_dirs if d.is_dir()
                         for f in sorted(d.glob("*.txt")))
    if not haystack:
        return sents
    kept = []
    for words, tags in sents:
        key = _squash("".join(words))
        if len(key) < min_chars or key not in haystack:
            kept.append((words, tags))
    if len(kept) != len(sents):
        print(f"[convert] dropped {len(sents) - len(kept)} training sentences found in evaluation articles",
              flush=True)
    return kept


def _eval_dirs(data: Path) -> list[Path]:
    return [data.parent / "dev-eval" / "articles"]


# ---------------------------------------------------------------------------
# per-language recipes
def it_ner(data: Path) -> dict[str, list[Sentence]]:
    """KIND gold (Wikinews x2, fiction, De Gasperi); dev = KIND WN dev.  The WikiNEuRal
    silver goes to its own file (``silver_ner``), never mixed into the gold: its
    conventions differ from KIND's (KIND tags "governo", "Stato", teams named after
    cities as ORG; WikiNEuRal tags LOC or nothing); mixed in, it lowered dev F1 from
    0.73 to 0.68, while a first training pass on it alone, then gold, raises it."""
    k = data / "kind_it_NC" / "evalita-2023"
    gold = []
    for name in ("WN_train", "FIC_train", "ADG_train", "FIC_dev", "ADG_dev"):
        if (k / f"{name}.tsv").exists():
            # Wikinews (news, the register kg reads) twice; fiction/De Gasperi once
            gold += read_kind(k / f"{name}.tsv") * (2 if name == "WN_train" else 1)
    return {"train": drop_eval_overlap(gold, _eval_dirs(data)), "dev": read_kind(k / "WN_dev.tsv")}


def silver_ner(lang: str, data: Path) -> list[Sentence]:
    """WikiNEuRal silver (Wikipedia, val+test splits; MISC -> O) for the first NER pass."""
    w = data / "wikineural_NC" / lang
    silver = []
    for name in ("val", "test"):
        if (w / f"{name}.conllu").exists():
            silver += read_wikineural(w / f"{name}.conllu")
    return drop_eval_overlap(silver, _eval_dirs(data))


def en_ner(data: Path) -> dict[str, list[Sentence]]:
    u = data / "uner_english_ewt"
    # UNER EWT twice: the only gold set in web/user-text register, the other sets are
    # Wikipedia/news/finance
    train = read_uner(u / "en_ewt-ud-train.approx.iob2") * 2
    sec = data / "sec_filings_ner_en"
    if (sec / "FIN5.train.txt").exists():
        train += read_iob1(sec / "FIN5.train.txt")
    wg = data / "wikigold_en" / "wikigold.conll.txt"
    if wg.exists():
        train += read_iob1(wg)
    gum = data / "ud_english_gum"
    if (gum / "en_gum-ud-train.ccby_genres.conllu").exists():
        train += read_gum_entities(gum / "en_gum-ud-train.ccby_genres.conllu")
    rd = data / "re_docred_en"
    for name in ("dev_revised.json", "test_revised.json"):
        if (rd / name).exists():
            train += read_redocred(rd / name)
    news_dev: list[Sentence] = []
    if (gum / "en_gum-ud-dev.ccby_genres.conllu").exists():
        news_dev += read_gum_entities(gum / "en_gum-ud-dev.ccby_genres.conllu")
    if (sec / "FIN3.test.txt").exists():
        news_dev += read_iob1(sec / "FIN3.test.txt")
    return {"train": drop_eval_overlap(train, _eval_dirs(data)), "dev": read_uner(u / "en_ewt-ud-dev.iob2"),
            "news_dev": news_dev}


def it_ud(data: Path) -> dict[str, list[Path]]:
    """All Italian UD folders (NC included); dev = ISDT dev, everything else trains."""
    files = sorted(data.glob("ud_italian_*/*.conllu"))
    dev = [f for f in files if f.name == "it_isdt-ud-dev.conllu"]
    return {"train": [f for f in files if f not in dev], "dev": dev}


def en_ud(data: Path) -> dict[str, list[Path]]:
    """UD English EWT train + GUM CC-BY genres train; dev = EWT dev."""
    return {
        "train": [data / "ud_english_ewt" / "en_ewt-ud-train.conllu",
                  data / "ud_english_gum" / "en_gum-ud-train.ccby_genres.conllu"],
        "dev": [data / "ud_english_ewt" / "en_ewt-ud-dev.conllu"],
    }


def convert(lang: str, data: Path, out: Path, what: str = "all") -> None:
    """Write every corpus file for ``lang`` into ``out``."""
    vocab = Vocab()
    if what in ("all", "ner"):
        for split, sents in (it_ner if lang == "it" else en_ner)(data).items():
            save(sentences_to_docs(sents, vocab), out / f"ner_{lang}_{split}.spacy")
        silver = silver_ner(lang, data)
        if silver:
            save(sentences_to_docs(silver, vocab), out / f"ner_{lang}_silver.spacy")
    if what in ("all", "ud"):
        for split, paths in (it_ud if lang == "it" else en_ud)(data).items():
            save(conllu_docs([p for p in paths if p.exists()], vocab), out / f"ud_{lang}_{split}.spacy")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description="Convert ../shared/data to .spacy corpora")
    p.add_argument("lang", choices=["it", "en"])
    p.add_argument("--data", type=Path, default=Path("../shared/data"))
    p.add_argument("--out", type=Path, default=Path("training/corpus"))
    p.add_argument("--what", choices=["all", "ner", "ud"], default="all")
    a = p.parse_args(argv)
    convert(a.lang, a.data, a.out, a.what)


if __name__ == "__main__":
    main()
