"""Money normalisation in Italian and English: amounts in currency units, ISO 4217 codes."""
import pytest

from kg.money import find_money, find_percents, parse_duration, parse_money, parse_number


@pytest.mark.parametrize("text,lang,value,currency", [
    # the examples
    ("200 miliardi di yuan", "it", 200_000_000_000, "CNY"),
    ("28,28 miliardi di dollari", "it", 28_280_000_000, "USD"),
    ("$1.2bn", "en", 1_200_000_000, "USD"),
    ("€3,5 mld", "it", 3_500_000_000, "EUR"),
    ("1 milione di yuan", "it", 1_000_000, "CNY"),
    ("US$11 billion", "en", 11_000_000_000, "USD"),
    ("12.5 miliardi di dollari USA", "it", 12_500_000_000, "USD"),
    ("$11.5bn", "en", 11_500_000_000, "USD"),
    ("1,63 miliardi di euro", "it", 1_630_000_000, "EUR"),
    ("$1.75bn", "en", 1_750_000_000, "USD"),
    # Italian separators: dot = thousands, comma = decimal
    ("1.100 milioni di euro", "it", 1_100_000_000, "EUR"),
    ("3.854 miliardi di euro", "it", 3_854_000_000_000, "EUR"),
    ("12.500 euro", "it", 12_500, "EUR"),
    ("1.234.567,89 euro", "it", 1_234_567.89, "EUR"),
    ("un miliardo di dollari", "it", 1_000_000_000, "USD"),
    ("mezzo miliardo di euro", "it", 500_000_000, "EUR"),
    ("EUR 3 mld", "it", 3_000_000_000, "EUR"),
    ("212 $", "it", 212, "USD"),
    ("5 milioni di sterline", "it", 5_000_000, "GBP"),
    ("2 miliardi di franchi svizzeri", "it", 2_000_000_000, "CHF"),
    # English separators: comma = thousands, dot = decimal
    ("$1,630 million", "en", 1_630_000_000, "USD"),
    ("1.250 billion euros", "en", 1_250_000_000, "EUR"),
    ("$55 billion", "en", 55_000_000_000, "USD"),
    ("€3.5 billion", "en", 3_500_000_000, "EUR"),
    ("£250m", "en", 250_000_000, "GBP"),
    ("HK$3.5 billion", "en", 3_500_000_000, "HKD"),
    ("2 million US dollars", "en", 2_000_000, "USD"),
    ("10 billion yuan", "en", 10_000_000_000, "CNY"),
    ("one billion dollars", "en", 1_000_000_000, "USD"),
    ("USD 40 million", "en", 40_000_000, "USD"),
    ("Rs 500 crore", "en", None, None),
])
def test_parse_money(text, lang, value, currency):
    m = parse_money(text, lang)
    if value is None:
        assert m is None
        return
    assert m is not None, text
    assert m.currency == currency
    assert m.value == pytest.approx(value)
    assert isinstance(m.value, int) == (value == int(value))


def test_money_inside_a_sentence_keeps_its_words():
    text = "Alpha investirà 200 miliardi di yuan (28,28 miliardi di dollari) in infrastrutture"
    found = find_money(text, "it")
    assert [(text[s:e], m.value, m.currency) for s, e, m in found] == [
        ("200 miliardi di yuan", 200_000_000_000, "CNY"),
        ("28,28 miliardi di dollari", 28_280_000_000, "USD"),
    ]
    assert found[0][2].text == "200 miliardi di yuan"


@pytest.mark.parametrize("text,lang", [
    ("4,5 miliardi di capitalizzazione", "it"),
    ("200 miliardi di importazioni", "it"),
    ("nel 2011 e nel 2012", "it"),
    ("3,500 retail stores", "en"),
    ("the team won 3 games", "en"),
    ("", "en"),
])
def test_no_currency_no_money(text, lang):
    assert parse_money(text, lang) is None


def test_unknown_language_is_an_error():
    with pytest.raises(ValueError):
        parse_money("3 euro", "xx")


@pytest.mark.parametrize("text,lang,value", [
    ("1,63", "it", 1.63), ("1.100", "it", 1100), ("12.5", "it", 12.5), ("1,630", "en", 1630),
    ("1.25", "en", 1.25), ("1.234.567", "it", 1234567), ("1,234,567.5", "en", 1234567.5),
    ("abc", "en", None),
])
def test_parse_number(text, lang, value):
    v = parse_number(text, lang)
    assert (v is None) if value is None else float(v) == pytest.approx(value)


def test_percentages():
    assert [v for _, _, v in find_percents("il 49% e il 5,73%, poi il 30 per cento", "it")] == [
        49, 5.73, 30]
    assert [v for _, _, v in find_percents("up 22 percent and 63.5%", "en")] == [22, 63.5]


@pytest.mark.parametrize("text,lang,duration", [
    ("nei prossimi tre anni", "it", "P3Y"), ("per i prossimi 12 mesi", "it", "P12M"),
    ("nei 90 giorni del programma", "it", "P90D"), ("over the next five years", "en", "P5Y"),
    ("within three years", "en", "P3Y"), ("two quarters", "en", "P6M"),
    ("next year", "en", None),
])
def test_parse_duration(text, lang, duration):
    assert parse_duration(text, lang) == duration
