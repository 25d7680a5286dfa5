"""The whole training recipe on a tiny fixture: convert -> pretrain -> NER (silver, then
gold) -> UD -> assemble.

Trains for a handful of steps only, so the recipe (configs, converters, sourcing the frozen
tok2vec, the lemmatizer tables, saving) cannot silently break."""
from pathlib import Path

import pytest

KIND = [
    [("Mario", "B-PER"), ("Rossi", "I-PER"), ("lavora", "O"), ("per", "O"), ("Fiat", "B-ORG"),
     ("a", "O"), ("Torino", "B-LOC"), (".", "O")],
    [("La", "O"), ("Banca", "B-ORG"), ("d'", "I-ORG"), ("Italia", "I-ORG"), ("ha", "O"),
     ("sede", "O"), ("a", "O"), ("Roma", "B-LOC"), (".", "O")],
    [("Giulia", "B-PER"), ("Bianchi", "I-PER"), ("è", "O"), ("nata", "O"), ("a", "O"),
     ("Milano", "B-LOC"), (".", "O")],
]

CONLLU = """# text = Il gatto dorme.
1\tIl\til\tDET\tRD\tDefinite=Def|Gender=Masc|Number=Sing|PronType=Art\t2\tdet\t_\t_
2\tgatto\tgatto\tNOUN\tS\tGender=Masc|Number=Sing\t3\tnsubj\t_\t_
3\tdorme\tdormire\tVERB\tV\tMood=Ind|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin\t0\troot\t_\tSpaceAfter=No
4\t.\t.\tPUNCT\tFS\t_\t3\tpunct\t_\t_

# text = Mario va al mare.
1\tMario\tMario\tPROPN\tSP\t_\t2\tnsubj\t_\t_
2\tva\tandare\tVERB\tV\tMood=Ind|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin\t0\troot\t_\t_
3-4\tal\t_\t_\t_\t_\t_\t_\t_\t_
3\ta\ta\tADP\tE\t_\t5\tcase\t_\t_
4\til\til\tDET\tRD\tDefinite=Def|Gender=Masc|Number=Sing|PronType=Art\t5\tdet\t_\t_
5\tmare\tmare\tNOUN\tS\tGender=Masc|Number=Sing\t2\tobl\t_\tSpaceAfter=No
6\t.\t.\tPUNCT\tFS\t_\t2\tpunct\t_\t_

"""


def write_fixture(root: Path) -> Path:
    kind = root / "kind_it_NC" / "evalita-2023"
    kind.mkdir(parents=True)
    text = "\n\n".join("\n".join(f"{w}\t{t}" for w, t in sent) for sent in KIND) + "\n"
    (kind / "WN_train.tsv").write_text(text * 4)
    (kind / "WN_dev.tsv").write_text(text)
    for folder, name in (("ud_italian_markit", "it_markit-ud-train.conllu"),
                         ("ud_italian_isdt_NC", "it_isdt-ud-dev.conllu")):
        (root / folder).mkdir()
        (root / folder / name).write_text(CONLLU * 3)
    silver = root / "wikineural_NC" / "it"
    silver.mkdir(parents=True)
    (silver / "val.conllu").write_text("\n\n".join(
        "\n".join(f"{i}\t{w}\t{t}" for i, (w, t) in enumerate(sent)) for sent in KIND) + "\n")
    raw = root / "raw_text" / "it_dice_crime_news"
    raw.mkdir(parents=True)
    (raw / "it_dice_news.txt").write_text(
        "Mario Rossi lavora per Fiat a Torino da molti anni.\n"
        "La Banca d'Italia ha sede a Roma, in via Nazionale.\n" * 40)
    return root


@pytest.mark.train
def test_tiny_recipe_end_to_end(tmp_path: Path):
    import spacy
    from spacy.tokens import DocBin

    from training.train import main

    data = write_fixture(tmp_path / "data")
    work, out = tmp_path / "work", tmp_path / "model"
    main(["it", "--data", str(data), "--work", str(work), "--model-out", str(out),
          "--stages", "convert,pretrain,ner,ud,assemble", "--no-vectors",
          "--pretrain-words", "2000", "--silver-steps", "4", "--ner-steps", "6",
          "--ud-steps", "6"])

    weights = work / "runs" / "pretrain_it" / "weights" / "model-last.bin"
    assert weights.stat().st_size > 0
    ner_cfg = (work / "runs" / "ner_it" / "model-best" / "config.cfg").read_text()
    silver_cfg = (work / "runs" / "ner_silver_it" / "model-last" / "config.cfg").read_text()
    assert f"init_tok2vec = \"{weights}\"" in silver_cfg  # the silver pass started from it
    assert f"ner_model = \"{work / 'runs' / 'ner_silver_it' / 'model-last'}\"" in ner_cfg

    nlp0 = spacy.blank("it")
    train = list(DocBin().from_disk(work / "corpus" / "ner_it_train.spacy").get_docs(nlp0.vocab))
    ents = [(e.text, e.label_) for d in train for e in d.ents]
    assert ents[:4] == [("Mario Rossi", "PER"), ("Fiat", "ORG"), ("Torino", "LOC"),
                        ("Banca d' Italia", "ORG")]
    ud = list(DocBin().from_disk(work / "corpus" / "ud_it_train.spacy").get_docs(nlp0.vocab))
    assert "al" in [t.text for d in ud for t in d]  # multi-word token kept as surface form

    nlp = spacy.load(out)
    assert nlp.pipe_names[:4] == ["ner", "syntax_tok2vec", "morphologizer", "parser"]
    assert "lemmatizer" in nlp.pipe_names
    doc = nlp("Mario Rossi lavora per Fiat a Torino. Il gatto dorme.")
    assert len(list(doc.sents)) >= 1
    assert all(t.pos_ for t in doc)  # morphologizer ran
    assert (out / "training_info.json").exists()
    assert (out / "vocab" / "strings.json").read_text().strip() == "[]"  # no corpus strings

    # the dev scores and the model card the recipe writes next
    from training.evaluate import evaluate
    from training.model_card import write_card

    scores = evaluate("it", out, work / "corpus")
    ner = scores["ner_dev"]
    for key in ("ents_f", "ents_f_spacy_tokenizer", "ents_f_lower", "ents_f_upper", "ents_f_title"):
        assert 0.0 <= ner[key] <= 1.0
    assert "dep_las" in scores["ud_dev"]
    card = write_card("it", out, bench=None, notes=None).read_text()
    assert "## NER, KIND Wikinews dev" in card and "re-cased" in card
