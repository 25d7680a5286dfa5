"""The learned relation layer: a trained linear classifier over pairs of typed mentions.

Candidates are pairs of mentions in one sentence whose types fit some predicate's domain and
range (either direction). Each pair gets the features a classical relation extractor uses:

- the dependency path between the two mentions' heads (labels, and labels with lemmas),
  the lemma where the two paths meet;
- the words between the mentions and around them (lemmas, lowercase), their distance, how many
  other mentions sit between them;
- the mentions' types, whether one is a description, a bracketed aside or a possessive;
- the cue-word classes of the language (``kg.lang``: acquisition verbs, stake words, attempt
  words, pending markers, relational nouns...) found between, before or after them. These carry
  the same feature name in every language, so what one language teaches serves the other;
- the mean word vector of the words between them and of the words on the dependency path.

Each pair is read in both directions (either mention as the subject) where the types allow;
the classifier (one logistic regression per predicate, trained by ``python -m training.extract``
from ``corpus/train``) gives each predicate a Platt-calibrated probability for that reading; a
predicate whose probability passes the threshold and whose domain and range fit the types
becomes a Relation with that probability as its confidence (a symmetric one once, from its
likelier reading). Pairs the precise rules already read are left to them, and the annotation
rules' hard constraints (``_ruled_out``) veto what they forbid. The weights ship as
``kg/models/relations.npz`` (feature names, a weight matrix, intercepts, threshold,
calibration and a record of the training run).
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from kg.extract.context import Ctx
from kg.extract.names import name_key
from kg.extract.relations import OBJ, SUBJ, pending_status
from kg.facts import SYMMETRIC_PREDICATES, Relation
from kg.lang.base import LangData

EXTRACTOR = "kg.extract.learned"
MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "relations.npz"
NONE = "NONE"
WINDOW = 3  # words looked at before the first and after the second mention
MAX_BETWEEN = 14  # words between the mentions kept as features (the rest: "far")
DEAL_PREDICATES = ("acquires", "mergesWith")  # the ones a pending marker gives a status, as in the rules


def labels() -> list[str]:
    """Every predicate the classifier can give an (ordered) subject-object pair."""
    return sorted(SUBJ)


def label_fits(pred: str, kind_s: str, kind_o: str) -> bool:
    """Whether the subject and object types fit the predicate's domain and range."""
    return kind_s in SUBJ[pred] and kind_o in OBJ[pred]


def pair_possible(kind_a: str, kind_b: str) -> bool:
    """Some predicate joins the two types, in one direction or the other."""
    return any(label_fits(p, kind_a, kind_b) or label_fits(p, kind_b, kind_a) for p in labels())


class Feats(dict):
    """Sparse features (name -> value) plus dense blocks kept as vectors: `dense[prefix]` is
    a vector v standing for the features prefix0..prefixN = v[0..N] (`expand` writes them out,
    as training sees them; the model scores the block with one matrix product)."""

    def __init__(self, *args, **kw) -> None:
        super().__init__(*args, **kw)
        self.dense: dict = {}


def expand(f: dict) -> dict[str, float]:
    """Every feature by name, dense blocks written out (what training vectorises)."""
    out = dict(f)
    for prefix, vec in getattr(f, "dense", {}).items():
        out.update({f"{prefix}{k}": float(x) for k, x in enumerate(vec)})
    return out


def oriented(base: dict[str, float], kind_s: str, kind_o: str, forward: bool) -> dict[str, float]:
    """The pair's features read with one mention as the subject: every feature once as it is
    and once tagged with the direction (subject first in the text, or second), and the
    subject and object types."""
    tag = "S>O|" if forward else "O>S|"
    f = Feats(base)
    f.update({tag + k: v for k, v in base.items()})
    dense = getattr(base, "dense", {})
    f.dense = {**dense, **{tag + p: v for p, v in dense.items()}}
    f[f"st={kind_s}"] = 1.0
    f[f"ot={kind_o}"] = 1.0
    f[f"sot={kind_s}|{kind_o}"] = 1.0
    f[tag + "dir"] = 1.0
    return f


def rule_readings(ctx: Ctx) -> dict[tuple[int, int], set[str]]:
    """(subject index, object index) -> predicates the rules found (positions count as
    worksFor); symmetric ones both ways."""
    index = {m.id: i for i, m in enumerate(ctx.mentions)}
    out: dict[tuple[int, int], set[str]] = {}
    facts = [(r.subject, r.predicate, r.object) for r in ctx.facts.relations]
    facts += [(p.holder, "worksFor", p.organization) for p in ctx.facts.positions if p.organization]
    for s, p, o in facts:
        a, b = index.get(s), index.get(o)
        if a is None or b is None:
            continue
        out.setdefault((a, b), set()).add(p)
        if p in SYMMETRIC_PREDICATES:
            out.setdefault((b, a), set()).add(p)
    return out


def orientations(ctx: Ctx, cand: "Candidate"):
    """(subject index, object index, forward) for each direction some predicate allows."""
    ms = ctx.mentions
    for s, o, fwd in ((cand.a, cand.b, True), (cand.b, cand.a, False)):
        if any(label_fits(p, ms[s].kind, ms[o].kind) for p in labels()):
            yield s, o, fwd


# ------------------------------------------------------------------------------ candidates

@dataclass
class Candidate:
    sent: int
    a: int  # mention index (text order: a before b)
    b: int


def same_entity(ctx: Ctx, a: int, b: int) -> bool:
    ma, mb = ctx.mentions[a], ctx.mentions[b]
    if ma.ref and ma.ref == mb.id or mb.ref and mb.ref == ma.id:
        return True
    if ma.ref and mb.ref and ma.ref == mb.ref:
        return True
    return name_key(ma.text) == name_key(mb.text)


def candidates(ctx: Ctx) -> list[Candidate]:
    """Pairs of mentions in one sentence that some predicate could join."""
    by_sent: dict[int, list[int]] = {}
    for i, m in enumerate(ctx.mentions):
        by_sent.setdefault(ctx.sent_of(m.start), []).append(i)
    out = []
    for sent, idx in sorted(by_sent.items()):
        idx.sort(key=lambda i: ctx.mentions[i].start)
        for x, a in enumerate(idx):
            for b in idx[x + 1:]:
                ma, mb = ctx.mentions[a], ctx.mentions[b]
                if mb.start < ma.end:  # nested or overlapping mentions
                    continue
                if not pair_possible(ma.kind, mb.kind) or same_entity(ctx, a, b):
                    continue
                out.append(Candidate(sent, a, b))
    return out


# ------------------------------------------------------------------------------ features

_CUE_PATTERNS: dict[str, list[tuple[str, re.Pattern]]] = {}


def _cue_patterns(data: LangData) -> list[tuple[str, re.Pattern]]:
    """(cue class, regex) for every word list of the language: its tuple fields and `cues`."""
    if data.code not in _CUE_PATTERNS:
        _CUE_PATTERNS[data.code] = _compile_cues(data)
    return _CUE_PATTERNS[data.code]


def _compile_cues(data: LangData) -> list[tuple[str, re.Pattern]]:
    lists: dict[str, tuple[str, ...]] = {}
    for f in fields(data):
        v = getattr(data, f.name)
        if isinstance(v, tuple) and v and all(isinstance(w, str) for w in v):
            lists[f.name] = v
        elif isinstance(v, dict) and f.name in ("role_verbs", "scale_words", "currency_words"):
            lists[f.name] = tuple(v)
    for k, v in data.cues.items():
        lists["cue_" + k] = tuple(v)
    out = []
    for name, words in sorted(lists.items()):
        words = sorted({w.lower() for w in words if w.strip()}, key=len, reverse=True)
        if words:
            alt = "|".join(re.escape(w) for w in words)
            out.append((name, re.compile(rf"(?<!\w)(?:{alt})(?!\w)")))
    return out


def _cues(data: LangData, text: str) -> list[str]:
    return _cues_cached(data.code, text.lower().replace("’", "'"))


@lru_cache(maxsize=8192)
def _cues_cached(code: str, low: str) -> list[str]:
    # the text before a mention and after another recurs for every pair they are part of
    from kg import lang as langdata
    return [name for name, rx in _cue_patterns(langdata.get(code)) if rx.search(low)]


def _word(tok) -> str:
    lemma = tok.lemma_ or tok.text
    return lemma.lower() if not tok.like_num else "<num>"


def _span_root(doc, start: int, end: int):
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None, None
    return span, span.root


def _dep_path(t1, t2) -> tuple[list, object | None, list] | None:
    """(tokens from t1 up to below the meeting point, the meeting token, tokens from t2 up)."""
    up1 = [t1]
    while up1[-1].head.i != up1[-1].i:
        up1.append(up1[-1].head)
    pos = {t.i: k for k, t in enumerate(up1)}
    up2 = [t2]
    while up2[-1].i not in pos:
        if up2[-1].head.i == up2[-1].i:
            return None  # different parse trees
        up2.append(up2[-1].head)
    lca = up2[-1]
    return up1[:pos[lca.i]], lca, up2[:-1]


def _bucket(n: int) -> str:
    for lim in (0, 1, 2, 4, 7, 11, 16):
        if n <= lim:
            return str(lim)
    return "far"


def pair_features(ctx: Ctx, doc, cand: Candidate) -> dict[str, float]:
    """Feature name -> value for one candidate pair (binary features are 1.0)."""
    ms = ctx.mentions
    ma, mb = ms[cand.a], ms[cand.b]
    s0, s1 = ctx.sents[cand.sent]
    f = Feats()

    def add(name: str, v: float = 1.0) -> None:
        f[name] = v

    add(f"types={ma.kind}|{mb.kind}")
    add(f"t1={ma.kind}")
    add(f"t2={mb.kind}")
    if ma.is_description:
        add("anaphor1" if ma.anaphor else "desc1")
    if mb.is_description:
        add("anaphor2" if mb.anaphor else "desc2")
    between_text = ctx.text[ma.end:mb.start]
    before_text = ctx.text[s0:ma.start]
    after_text = ctx.text[mb.end:s1]
    for c in _cues(ctx.data, between_text):
        add("cue_btw:" + c)
    for c in _cues(ctx.data, before_text[-60:]):
        add("cue_bef:" + c)
    for c in _cues(ctx.data, after_text[:60]):
        add("cue_aft:" + c)
    if "(" in between_text and ")" not in between_text:
        add("b_in_brackets")
    if re.match(r"\s*['’]s\b|\s*['’]\s", after_text) or re.match(r"['’]s\b", between_text.strip()):
        add("poss_after")
    stripped = between_text.strip()
    if stripped in ("", ",", "(", "-", "–"):
        add("btw_punct=" + stripped)
    others = sum(1 for m in ms if m.start >= ma.end and m.end <= mb.start)
    add("n_between=" + _bucket(others))
    # tokens
    sa, ra = _span_root(doc, ma.start, ma.end)
    sb, rb = _span_root(doc, mb.start, mb.end)
    if sa is None or sb is None:
        add("no_tokens")
        return f
    btw = [t for t in doc[sa.end:sb.start] if not t.is_space]
    add("dist=" + _bucket(len(btw)))
    words = [_word(t) for t in btw if not t.is_punct]
    if len(btw) <= MAX_BETWEEN:
        for w in words:
            add("btw:" + w)
        for w1, w2 in zip(words, words[1:]):
            add(f"btw2:{w1}_{w2}")
        if words:
            add("btw_first:" + words[0])
            add("btw_last:" + words[-1])
        if len(words) <= 4:
            add("btw_all:" + "_".join(words))
    else:
        add("btw_far")
        for w in words[:3]:
            add("btw_near_a:" + w)
        for w in words[-3:]:
            add("btw_near_b:" + w)
    sent_start = doc.char_span(s0, s1, alignment_mode="contract")
    first_tok = sent_start.start if sent_start is not None else 0
    last_tok = sent_start.end if sent_start is not None else len(doc)
    for k, t in enumerate(reversed([t for t in doc[max(first_tok, sa.start - WINDOW):sa.start]
                                    if not t.is_space])):
        add(f"bef{k}:" + _word(t))
        add("bef:" + _word(t))
    for k, t in enumerate([t for t in doc[sb.end:min(last_tok, sb.end + WINDOW)]
                           if not t.is_space]):
        add(f"aft{k}:" + _word(t))
        add("aft:" + _word(t))
    _dense(f, "vb", [t for t in btw if not t.is_punct][:MAX_BETWEEN], ctx)
    path = _dep_path(ra, rb)
    if path is None:
        add("no_path")
    else:
        up, lca, down = path
        deps = [t.dep_.lower() for t in up] + ["^"] + [t.dep_.lower() for t in reversed(down)]
        add("path:" + " ".join(deps))
        add("path_len=" + _bucket(len(up) + len(down)))
        inner = [t for t in up[1:]] + [t for t in down[1:]]
        add("lca:" + _word(lca))
        _dense(f, "vp", [t for t in inner if not t.is_punct] or [lca], ctx)
        add(f"lca_dep:{lca.dep_.lower()}|{lca.pos_}")
        if len(up) + len(down) <= 6:
            lex = ([f"{t.dep_.lower()}" for t in up] + [_word(lca)]
                   + [f"{t.dep_.lower()}" for t in reversed(down)])
            add("lexpath:" + " ".join(lex))
        for t in inner:
            add("path_w:" + _word(t))
        add("a_dep:" + ra.dep_.lower())
        add("b_dep:" + rb.dep_.lower())
        add(f"ab_dep:{ra.dep_.lower()}|{rb.dep_.lower()}")
        if lca.i == ra.i:
            add("a_governs_b")
        elif lca.i == rb.i:
            add("b_governs_a")
        neg = [c for c in lca.children if c.dep_.lower() == "neg" or c.lower_ in ctx.data.negation_words]
        if neg:
            add("negated")
    return f


def _doc_vectors(ctx: Ctx, doc):
    """Every token's word vector, looked up once per document (the values of token.vector;
    with kg's floret vectors in one batch). The shipped weights expect kg's 100-d floret
    vectors: another pipeline's vectors make the dense features mean something else."""
    import numpy as np
    if getattr(ctx, "_vectors", None) is None or ctx._vectors[0] is not doc:
        vecs = doc.vocab.vectors
        if vecs.size == 0:
            ctx._vectors = (doc, None)
        elif vecs.mode == "floret":  # every string has a vector: one batch lookup
            ctx._vectors = (doc, np.asarray(vecs.get_batch([t.text for t in doc])))
        else:  # a table of known words: token.vector gives zeros for the others
            ctx._vectors = (doc, np.array([t.vector for t in doc]))
    return ctx._vectors[1]


def _dense(f: Feats, prefix: str, toks, ctx: Ctx) -> None:
    """The unit-length mean of the tokens' word vectors as the dense block `prefix`: what
    the words mean, so that a verb never seen in training reads like its neighbours."""
    import numpy as np
    if not toks:
        return
    V = _doc_vectors(ctx, toks[0].doc)
    if V is None:
        return
    v = V[[t.i for t in toks]].mean(axis=0)
    n = float(np.linalg.norm(v))
    if n == 0.0:
        return
    f.dense[prefix] = v / n


# ------------------------------------------------------------------------------ the model

@dataclass
class LinearModel:
    """One-vs-rest logistic regressions over sparse features and dense word-vector blocks.
    For the typing model, `threshold` is the rule-vote margin above which the rules' type is
    kept (kg.extract.kinds)."""

    labels: list[str]
    index: dict[str, int]  # feature name -> row of W
    W: object  # numpy array (n_features, n_labels)
    b: object  # numpy array (n_labels,)
    threshold: float = 0.5
    # Platt scaling fitted on cross-validated scores: p = sigmoid(a * z + c), so that of the
    # facts given 0.8 about 80% are right
    calibration: tuple[float, float] = (1.0, 0.0)

    def scores(self, feats: dict[str, float]):
        import numpy as np
        rows, vals = [], []
        index = self.index
        for name, v in feats.items():
            row = index.get(name)
            if row is not None:
                rows.append(row)
                vals.append(v)
        z = self.b + np.asarray(vals) @ self.W[rows] if rows else self.b.copy()
        for prefix, vec in getattr(feats, "dense", {}).items():
            have, at = self._block(prefix, len(vec))
            if len(at):
                z = z + vec[have] @ self.W[at]
        return z

    def _block(self, prefix: str, n: int):
        """(positions in the vector, rows of W) of the dense block prefix0..prefix{n-1}."""
        import numpy as np
        cache = self.__dict__.setdefault("_blocks", {})
        if (prefix, n) not in cache:
            pairs = [(k, self.index[f"{prefix}{k}"]) for k in range(n) if f"{prefix}{k}" in self.index]
            cache[(prefix, n)] = (np.array([k for k, _ in pairs], dtype=int),
                                  np.array([r for _, r in pairs], dtype=int))
        return cache[(prefix, n)]

    def probabilities(self, feats: dict[str, float]) -> dict[str, float]:
        a, c = self.calibration
        return {lab: 1.0 / (1.0 + math.exp(-(a * float(zi) + c)))
                for lab, zi in zip(self.labels, self.scores(feats))}

    def save(self, path: str | Path, meta: dict | None = None) -> None:
        import json

        import numpy as np
        names = sorted(self.index, key=self.index.get)
        np.savez_compressed(path, features=np.array(names), W=self.W.astype(np.float32),
                            b=self.b.astype(np.float32), labels=np.array(self.labels),
                            threshold=np.array(self.threshold),
                            calibration=np.array(self.calibration),
                            meta=np.array(json.dumps(meta or {})))

    @classmethod
    def load(cls, path: str | Path) -> "LinearModel":
        import numpy as np
        with np.load(path, allow_pickle=False) as z:
            names = [str(x) for x in z["features"]]
            calib = tuple(float(x) for x in z["calibration"]) if "calibration" in z else (1.0, 0.0)
            return cls([str(x) for x in z["labels"]], {n: i for i, n in enumerate(names)},
                       z["W"].astype("float64"), z["b"].astype("float64"), float(z["threshold"]),
                       calib)


def load_model(path: str | None = None) -> LinearModel | None:
    """The shipped weights, or those named by `path` / the KG_RELATION_MODEL environment
    variable (experiments, learning curves); None when there are none."""
    return _load_model(str(path or os.environ.get("KG_RELATION_MODEL") or MODEL_PATH))


@lru_cache(maxsize=4)
def _load_model(path: str) -> LinearModel | None:
    p = Path(path)
    return LinearModel.load(p) if p.exists() else None


def learned_relations(ctx: Ctx, doc, model: LinearModel | None = None) -> None:
    """Add the relations the classifier finds. A pair the precise rules already joined (by a
    relation or a position) is left to the rules: they override where they fire."""
    model = model or load_model()
    if model is None or doc is None or not doc.has_annotation("DEP"):
        return  # trained on parsed text: without a parse its features mean something else
    ms = ctx.mentions
    rules = rule_readings(ctx)
    # (subject id, sentence) of every stated base: one base per subject and sentence
    by_id = {m.id: m for m in ms}
    bases = {(_entity_id(by_id, r.subject), ctx.sent_of(r.evidence.start))
             for r in ctx.facts.relations if r.predicate == "headquarteredIn"}
    for cand in candidates(ctx):
        if (cand.a, cand.b) in rules or (cand.b, cand.a) in rules:
            continue  # the precise rules already read this pair: they override
        base = pair_features(ctx, doc, cand)
        best: dict = {}  # predicate (or predicate, s, o) -> (p, subject, object)
        for s, o, fwd in orientations(ctx, cand):
            probs = model.probabilities(oriented(base, ms[s].kind, ms[o].kind, fwd))
            for pred, p in probs.items():
                if p < model.threshold or not label_fits(pred, ms[s].kind, ms[o].kind):
                    continue
                if pred in SYMMETRIC_PREDICATES and pred in best and best[pred][0] >= p:
                    continue  # a symmetric relation once, from its likelier reading
                best[(pred, s, o) if pred not in SYMMETRIC_PREDICATES else pred] = (p, s, o)
        for key, (p, s, o) in sorted(best.items(), key=lambda kv: -kv[1][0]):
            pred = key if isinstance(key, str) else key[0]
            if _ruled_out(ctx, pred, s, o, cand.sent, (_entity_id(by_id, ms[s].id), cand.sent) in bases):
                continue
            if pred == "headquarteredIn":
                bases.add((_entity_id(by_id, ms[s].id), cand.sent))
            ev = ctx.evidence(cand.sent, p, EXTRACTOR)
            status = pending_status(ctx, ev.sentence) if pred in DEAL_PREDICATES else None
            ctx.facts.relations.append(Relation(ms[s].id, pred, ms[o].id, ev, status))


def _entity_id(by_id: dict, mention_id: str) -> str:
    """The named mention a description or anaphor stands for (itself otherwise)."""
    m = by_id.get(mention_id)
    return m.ref if m is not None and m.ref else mention_id


def _ruled_out(ctx: Ctx, pred: str, s: int, o: int, sent: int, has_base: bool) -> bool:
    """The annotation rules' hard constraints, applied to what the classifier proposes:
    attempts are not deals, a bracketed affiliation is not an employer, a subject has one
    stated base per sentence ("based in Brantford, Ontario": the city)."""
    ms = ctx.mentions
    if pred in DEAL_PREDICATES:
        s0 = ctx.sents[sent][0]
        head = ctx.text[s0:max(ms[s].end, ms[o].end)].lower()
        if any(re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", head) for w in ctx.data.attempt_words):
            return True
    if pred == "worksFor" and re.search(r"\(\s*$", ctx.text[max(0, ms[o].start - 3):ms[o].start]):
        return True  # "Mario Rossi (Acme)": a bracketed affiliation
    if pred == "headquarteredIn" and has_base:
        return True
    return False


# ------------------------------------------------------------------------------ entity typing

TYPING_MODEL_PATH = MODEL_PATH.with_name("typing.npz")
KINDS = ("Company", "Platform", "Person", "Place", "Organization")
_WORD = re.compile(r"[\w’'&.-]+")


def mention_features(ctx: Ctx, i: int, votes) -> dict[str, float]:
    """Features of one named mention for the typing classifier: the rule votes of
    kg.extract.kinds (what the name says, its context, the NER label), the NER's own label,
    the name's shape and words, the words and cue classes around it."""
    ms = ctx.mentions
    m = ms[i]
    text = m.text
    f: dict[str, float] = {}

    def add(name: str, v: float = 1.0) -> None:
        f[name] = v

    add("init=" + m.kind + ("_weak" if m.id in ctx.weak else ""))
    ranked = sorted(((v, k) for k, v in votes.items() if v > 0), reverse=True)
    if ranked:
        add("rule=" + ranked[0][1])
        margin = ranked[0][0] - (ranked[1][0] if len(ranked) > 1 else 0.0)
        add(f"rule_margin={_bucket(int(margin * 2))}")
    for k in KINDS:
        v = votes.get(k, 0.0)
        if v:
            add("vote:" + k, max(-3.0, min(3.0, v)) / 3.0)
    words = text.split()
    add("n_words=" + _bucket(len(words)))
    if text.isupper() and len(text) > 1:
        add("allcaps")
    if any(c.isdigit() for c in text):
        add("digit")
    if re.search(r"[a-z][A-Z]", text):
        add("camel")
    if re.search(r"\.(?:com|net|org|it|co)\b", text.lower()):
        add("web")
    if "&" in text or "-" in text:
        add("amp_or_dash")
    low = [w.lower().strip(".,") for w in words]
    add("first:" + low[0])
    add("last:" + low[-1])
    for w in low:
        add("w:" + w)
    if len(low) == 1:
        add("suffix3:" + low[0][-3:])
    if " ".join(low) in ctx.data.country_names:
        add("country")
    same = sum(1 for x in ms if x.text == text)
    add("occ=" + _bucket(same))
    # sentence-initial: capitals there say little
    s0 = ctx.sents[ctx.sent_of(m.start)][0]
    if not ctx.text[s0:m.start].strip():
        add("sent_initial")
    before = ctx.text[max(0, m.start - 40):m.start]
    after = ctx.text[m.end:m.end + 40]
    bw = _WORD.findall(before.lower())
    aw = _WORD.findall(after.lower())
    for k, w in enumerate(reversed(bw[-2:])):
        add(f"p{k}:{w}")
    for k, w in enumerate(aw[:2]):
        add(f"n{k}:{w}")
    if after.lstrip().startswith("("):
        add("bracket_after")
    if before.rstrip().endswith("("):
        add("in_bracket")
    if re.match(r"['’]s\b", after):
        add("possessive")
    for c in _cues(ctx.data, before[-25:]):
        add("cue_bef:" + c)
    for c in _cues(ctx.data, after[:25]):
        add("cue_aft:" + c)
    return f


def vote_margin(votes) -> float:
    """How clear-cut the rule votes are: the best type's votes minus the runner-up's."""
    ranked = sorted((v for k, v in votes.items() if k in KINDS), reverse=True)
    if not ranked:
        return 0.0
    return ranked[0] - (ranked[1] if len(ranked) > 1 and ranked[1] > 0 else 0.0)


def load_typing_model(path: str | None = None) -> LinearModel | None:
    """The shipped typing weights (or KG_TYPING_MODEL's); None when there are none."""
    return _load_model(str(path or os.environ.get("KG_TYPING_MODEL") or TYPING_MODEL_PATH))


DROP_NAMED = 0.9  # P(not an entity) above which a name the NER or the rules found is dropped


# Company and Platform are one kind of name read two ways (a firm, or the service it runs):
# the rules' platform cues ("la piattaforma X", "the X app") decide between them, the model
# decides the rest
FIRM_OR_SERVICE = frozenset({"Company", "Platform"})


def predict_kind(model: LinearModel, feats: dict[str, float], rule_kind: str | None = None) -> str | None:
    """The most probable type, or None when "not an entity" wins. A name the NER or the
    rules kept (`rule_kind` set) is dropped only when "not an entity" is clearly likelier
    (DROP_NAMED): their recall is worth more than a product name kept."""
    probs = model.probabilities(feats)
    best = max(probs, key=probs.get)
    if best == NONE and (rule_kind is None or probs[NONE] >= DROP_NAMED):
        return None
    kind = max((k for k in probs if k != NONE), key=probs.get)
    if kind in FIRM_OR_SERVICE and rule_kind in FIRM_OR_SERVICE:
        return rule_kind
    return kind
