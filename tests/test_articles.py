"""Readers: .txt, .md, .html, .jsonl, folders and globs, encodings and bad input."""
from __future__ import annotations

import json

import pytest

from kg.articles import Article, decode_bytes, parse_html, parse_md, read_file, read_paths

from conftest import SEEDS


def test_txt_title_when_blank_line_follows(tmp_path):
    f = tmp_path / "acme.txt"
    f.write_text("Acme buys Beta\n\nAcme said on Monday it will buy Beta.\n", encoding="utf-8")
    [a] = read_file(f).articles
    assert a.id == "acme"
    assert a.title == "Acme buys Beta"
    # the title stays the first paragraph: offsets point into the full text
    assert a.text == "Acme buys Beta\n\nAcme said on Monday it will buy Beta."
    assert a.source == str(f)


def test_txt_without_blank_line_has_no_title():
    [a] = read_file(SEEDS / "00_it_alibaba_tmall_seed.txt").articles
    assert a.title is None
    assert a.text.startswith("Per i prossimi 12 mesi Alibaba")
    assert a.id == "00_it_alibaba_tmall_seed"


def test_crlf_normalised_and_offsets_consistent(tmp_path):
    f = tmp_path / "w.txt"
    f.write_bytes(b"Title here\r\n\r\nBody one.\r\nBody two.\r\n")
    [a] = read_file(f).articles
    assert a.title == "Title here"
    assert "\r" not in a.text
    assert a.text.index("Body two.") == len("Title here\n\nBody one.\n")


def test_cp1252_text_is_decoded_not_refused(tmp_path):
    f = tmp_path / "old.txt"
    f.write_bytes("Citt\u00e0 \u2013 l\u2019azienda \u00e8 cresciuta del 5% \u20ac".encode("cp1252"))
    result = read_file(f)
    assert result.rejected == []
    assert result.articles[0].text == "Citt\u00e0 \u2013 l\u2019azienda \u00e8 cresciuta del 5% \u20ac"


def test_latin1_fallback_and_utf8_bom():
    assert decode_bytes("caff\u00e8".encode("latin-1") + b"\x81") == "caff\u00e8\x81"
    assert decode_bytes(b"\xef\xbb\xbfUTF-8 \xc3\xa8") == "UTF-8 \u00e8"
    assert decode_bytes("UTF-16 \u00e8".encode("utf-16")) == "UTF-16 \u00e8"


@pytest.mark.parametrize("name, data, reason", [
    ("empty.txt", b"", "empty file"),
    ("blank.md", b"\n  \n\t\n", "empty file"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
])
def test_bad_files_are_rejected_with_path_and_reason(tmp_path, name, data, reason):
    f = tmp_path / name
    f.write_bytes(data)
    result = read_file(f)
    assert result.articles == []
    [(path, why)] = result.rejected
    assert path == str(f)
    assert reason in why


def test_missing_path_rejected(tmp_path):
    result = read_paths([tmp_path / "nope.txt"])
    assert result.rejected == [(str(tmp_path / "nope.txt"), "no such file or directory")]


def test_directory_without_articles_rejected(tmp_path):
    d = tmp_path / "empty"
    d.mkdir()
    (d / "data.csv").write_text("a,b\n")
    result = read_paths([d])
    assert result.articles == []
    [(path, why)] = result.rejected
    assert path == str(d) and "no articles found" in why


def test_folder_is_read_recursively_in_stable_order(news_dir):
    result = read_paths([news_dir])
    assert result.rejected == []
    assert sorted(a.id for a in result.articles) == ["en_gamma", "en_page", "it_acme", "j1", "j2"]
    assert [a.id for a in read_paths([news_dir]).articles] == [a.id for a in result.articles]


def test_glob_and_duplicates(news_dir):
    result = read_paths([str(news_dir / "**" / "*.md"), news_dir / "sub" / "en_gamma.md"])
    assert [a.id for a in result.articles] == ["en_gamma"]  # same file named twice: read once
    result = read_paths([str(news_dir / "*.pdf")])
    assert result.articles == [] and "no articles match" in result.rejected[0][1]


def test_same_id_in_two_folders_is_rejected_once(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "story.txt").write_text(f"Story from {sub}.", encoding="utf-8")
    result = read_paths([tmp_path])
    assert [a.text for a in result.articles] == ["Story from a."]
    assert "duplicate article id 'story'" in result.rejected[0][1]


def test_markdown_markup_removed_heading_is_title():
    a = parse_md("# Acme **buys** Beta\n\nAcme [said](http://x.y) it will buy *Beta*.\n\n"
                 "- first point\n- second point\n\n```\ncode()\n```\n![logo](l.png)\n", id="m")
    assert a.title == "Acme buys Beta"
    assert a.text == "Acme buys Beta\n\nAcme said it will buy Beta.\n\nfirst point\nsecond point"


def test_markdown_front_matter():
    a = parse_md("---\ntitle: Acme news\ndate: 2024-03-05T10:00\nlang: it-IT\n---\nCorpo del testo.\n", id="m")
    assert (a.title, a.date, a.lang) == ("Acme news", "2024-03-05", "it")
    assert a.text == "Acme news\n\nCorpo del testo."


def test_html_main_text_only(news_dir):
    [a] = read_file(news_dir / "en_page.html").articles
    assert a.title == "ZetaCo and the market"
    assert a.text == "ZetaCo and the market\n\nZetaCo operates Tradia in the region."
    assert a.lang == "en"
    for dropped in ("AcmeCo", "DeltaCo", "OmegaCo", "FooterCo", "Site"):
        assert dropped not in a.text


def test_html_without_article_uses_body_and_title_tag():
    a = parse_html("<html><head><title>Page title</title><style>p{}</style></head><body>"
                   "<header>Logo</header><div><p>First <b>para</b>.</p><p>Second.</p></div>"
                   "<ul><li>item one</li></ul><footer>foot</footer></body></html>", id="h")
    assert a.title == "Page title"
    assert a.text == "Page title\n\nFirst para.\n\nSecond.\n\nitem one"


def test_html_metadata():
    a = parse_html("<html lang='it'><head><meta property='article:published_time' content='2023-01-02T09:00:00Z'>"
                   "<link rel='canonical' href='https://news.example/a'></head><body><main><h1>T</h1><p>Testo.</p>"
                   "</main></body></html>", id="h")
    assert (a.lang, a.date, a.url) == ("it", "2023-01-02", "https://news.example/a")


def test_html_without_text_is_rejected(tmp_path):
    f = tmp_path / "nav.html"
    f.write_text("<html><body><nav>menu</nav><script>x()</script></body></html>")
    result = read_file(f)
    assert result.articles == [] and "no article text" in result.rejected[0][1]


def test_jsonl_fields_and_title_prepended(news_dir):
    arts = {a.id: a for a in read_file(news_dir / "feed.jsonl").articles}
    j1 = arts["j1"]
    assert j1.title == "EtaCo news"
    assert j1.text == "EtaCo news\n\nEtaCo operates Bazar and the app."
    assert (j1.lang, j1.date) == ("en", "2024-05-01")
    assert j1.source == f"{news_dir / 'feed.jsonl'}:1"
    assert arts["j2"].title is None and arts["j2"].lang == "it"


def test_jsonl_malformed_lines_rejected_one_by_one(tmp_path):
    f = tmp_path / "feed.jsonl"
    lines = [json.dumps({"id": "ok1", "text": "Good one."}), "{not json", "",
             json.dumps(["a", "list"]), json.dumps({"id": "notext", "title": "T"}),
             json.dumps({"text": "No id here."}), json.dumps({"id": "bad", "text": "x", "lang": ["it"]})]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_file(f)
    assert [a.id for a in result.articles] == ["ok1", "feed-6"]
    where = [p for p, _ in result.rejected]
    assert where == [f"{f}:2", f"{f}:4", f"{f}:5", f"{f}:7"]
    reasons = dict(result.rejected)
    assert "malformed JSON" in reasons[f"{f}:2"]
    assert "'text'" in reasons[f"{f}:5"]


def test_article_hash_is_content_hash():
    a = Article(id="x", text="Same text")
    assert a.hash == Article(id="y", text="Same text", title="t").hash
    assert a.hash != Article(id="x", text="Other text").hash


def test_html_without_paragraphs_uses_innermost_divs():
    a = parse_html("<html><body><div><div>Acme <b>buys</b> Beta.</div><div>Second block.</div></div>"
                   "<nav>menu</nav></body></html>", id="d")
    assert a.text == "Acme buys Beta.\n\nSecond block."
    assert a.title is None
