"""kg.nlp.detect_language on headlines and short texts (Italian vs English)."""
import pytest

from kg.nlp import detect_language

IT = [
    "Alibaba investe 200 miliardi di yuan nelle piattaforme Tmall e Taobao",
    "La Borsa di Milano chiude in rialzo, bene le banche",
    "Eni, utile in calo nel terzo trimestre",
    "Il governo approva la manovra: ecco cosa cambia per le famiglie",
    "Fusione tra due gruppi assicurativi, nasce un colosso da 30 miliardi",
    "Nominato il nuovo amministratore delegato della società",
    "Stellantis taglia la produzione a Mirafiori",
    "Perché l'inflazione è tornata a salire",
]
EN = [
    "Alibaba to invest 200 billion yuan in Tmall and Taobao platforms",
    "Stocks rally as banks lead gains on Wall Street",
    "Eni profit falls in third quarter",
    "The government approves the budget: what changes for families",
    "Insurers agree merger, creating a $30 billion giant",
    "Company names new chief executive",
    "Stellantis cuts output at its Turin plant",
    "Why inflation is rising again",
]


@pytest.mark.parametrize("text", IT)
def test_italian_headlines(text):
    assert detect_language(text) == "it"


@pytest.mark.parametrize("text", EN)
def test_english_headlines(text):
    assert detect_language(text) == "en"


def test_longer_texts():
    it = ("Il gruppo ha annunciato ieri l'acquisizione della società milanese per 2 miliardi "
          "di euro. L'operazione sarà completata entro la fine dell'anno.")
    en = ("The group announced yesterday that it had acquired the Milan-based company for "
          "2 billion euros. The deal is expected to close by the end of the year.")
    assert detect_language(it) == "it"
    assert detect_language(en) == "en"
