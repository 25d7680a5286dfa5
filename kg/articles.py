"""Articles: the unit kg reads. Readers for .txt, .md, .html and .jsonl live here."""
from __future__ import annotations

import codecs
import dataclasses
import datetime
import glob
import hashlib
import json
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Article:
    """One news article.

    `text` is the full text the extractor reads, title included as its first paragraph
    when there is one ("Title\\n\\nBody..."); every character offset in kg points into it.
    `id` is the stable source id (the file stem, or the JSONL `id`): building a changed
    article with the same id replaces the old one. `hash` is the content hash that names
    the article's graph.
    """

    id: str
    text: str
    title: str | None = None
    lang: str | None = None  # "it" / "en"; None = detect
    date: str | None = None  # ISO 8601 date when known
    source: str | None = None  # path or URL it was read from
    url: str | None = None

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:20]


# ------------------------------------------------------------------------------------------
# Readers: files, folders (recursive) and globs -> Articles, plus (path, reason) rejections.
#
# A reader never raises on bad input: each problem becomes one rejection naming the path
# (and line, for JSONL) so a build can store the good articles and report the rest.
# ------------------------------------------------------------------------------------------
SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
            ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
SUPPORTED = ".txt, .md, .html, .jsonl"
SUPPORTED_LANGS = ("it", "en")

# The longest article kg reads, in characters (`kg build --max-chars`). spaCy's parser and
# NER need about 1 GB of memory per 100,000 characters of one text and refuse texts over
# 1,000,000 characters; a long news article is 20,000-50,000. A longer file is rejected with
# one line, before it is read when its size alone says it is too long.
DEFAULT_MAX_CHARS = 200_000

Rejection = tuple[str, str]  # (path, reason)


@dataclass
class ReadResult:
    articles: list[Article]
    rejected: list[Rejection]
    warnings: list[Rejection] = field(default_factory=list)  # (path, message): read anyway


class BinaryFile(ValueError):
    pass


def decode_bytes(data: bytes) -> str:
    """Bytes -> text (see decode_text, without its warning)."""
    return decode_text(data)[0]


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Bytes -> (text, warning or None): UTF-8 (BOM or not), UTF-16 with a BOM, else
    CP1252, else Latin-1.

    Older Italian and English news files are often CP1252/Latin-1; decoding them is better
    than refusing them. But a file that is overwhelmingly UTF-8 with a few bad bytes (a
    truncated copy, one stray byte) is UTF-8: read as CP1252 every accent would turn into
    two wrong letters ("societ\u00c3\u00a0"), so it is decoded as UTF-8 with U+FFFD for
    the bad bytes, and the warning says so. NUL bytes without a UTF-16 BOM mean a binary
    file (BinaryFile).
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), None
    if b"\x00" in data:
        raise BinaryFile("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    valid = sum(1 for ch in replaced if ord(ch) > 127 and ch != "\ufffd")
    # CP1252 text almost never holds valid UTF-8 sequences by chance (an accented capital
    # followed by a symbol byte), so more valid multi-byte sequences than bad bytes is UTF-8.
    if valid >= bad:
        return replaced, (f"not valid UTF-8 in {bad} place{'s' if bad > 1 else ''}; "
                          f"read as UTF-8 with U+FFFD for the bad bytes")
    try:
        return data.decode("cp1252"), None
    except UnicodeDecodeError:
        return data.decode("latin-1"), None


def normalize_text(text: str) -> str:
    """One newline convention, no leading blank lines, no trailing whitespace.
    Offsets point into the normalised text, so this runs before anything else."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = re.sub(r"[ \t]+\n", "\n", text)
    return text.lstrip("\n").rstrip()


def _title_of_text(text: str) -> str | None:
    """The first line is the title when a blank line follows it (and a body comes after)."""
    head, sep, rest = text.partition("\n")
    if sep and rest.startswith("\n") and rest.strip() and head.strip() and len(head) <= 300:
        return head.strip()
    return None


def _lang(value) -> str | None:
    if not value or not isinstance(value, str):
        return None
    return value.strip().lower().replace("_", "-").split("-")[0] or None


def _date(value) -> str | None:
    """ISO date (YYYY-MM-DD) from an ISO date/datetime string; other strings kept as given."""
    if not value or not isinstance(value, str):
        return None
    m = re.match(r"\s*(\d{4}-\d{2}-\d{2})", value)
    return m.group(1) if m else value.strip()


def _surrogate(s: str) -> str | None:
    """The first lone surrogate in s (JSON '\\ud800', a non-UTF-8 file name), if any: such
    text cannot be written as UTF-8, so it cannot be hashed, stored or printed."""
    m = re.search("[\ud800-\udfff]", s)
    return m.group() if m else None


def shown(s: str) -> str:
    """s printable and storable: lone surrogates (undecodable bytes of a file name, escaped
    surrogates of a JSON string) as backslash escapes."""
    if _surrogate(s) is None:
        return s
    try:  # undecodable file-name bytes come back as themselves: 'bad\\xffname.txt'
        return s.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate from elsewhere: '\\ud800'
        return s.encode("utf-8", "backslashreplace").decode("utf-8")


def source_name(path: str | Path) -> str:
    """The path an article is stored with (biz:source): normalised, relative to the working
    folder when it is inside it, so 'c200/a.txt', './c200/a.txt' and the absolute path name
    the same source; else absolute. Forward slashes on every system."""
    try:
        absolute = Path(os.path.abspath(path))
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix()
    except OSError:  # the working folder was deleted under us
        return Path(path).as_posix()


def _letters_problem(text: str) -> str | None:
    """Why text does not look like prose, or None. Random bytes without NUL decode as
    CP1252/Latin-1 into something that is not an article: control characters give it away,
    and so does text that is mostly not letters (a dump of numbers or symbols)."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return None
    controls = sum(1 for c in chars if unicodedata.category(c) in ("Cc", "Co", "Cn"))
    if controls > 0.01 * len(chars):
        return f"does not look like text ({controls * 100 // len(chars) or 1}% control characters)"
    letters = sum(1 for c in chars if c.isalpha())
    if letters < 0.3 * len(chars):
        return f"does not look like text (only {letters * 100 // len(chars)}% letters)"
    return None


def check_article(a: Article, max_chars: int = DEFAULT_MAX_CHARS) -> tuple[Article | None, str | None, str | None]:
    """(article, rejection reason, warning): the checks every reader's article passes.
    An invalid date (2023-13-45) is dropped with a warning: it must not become an
    ill-typed xsd:date."""
    for name in ("id", "text", "title", "url", "date", "lang"):
        value = getattr(a, name)
        if isinstance(value, str) and _surrogate(value) is not None:
            return None, (f"{name} holds a lone surrogate ({ascii(_surrogate(value))[1:-1]}), "
                          f"which is not valid Unicode"), None
    if len(a.text) > max_chars:
        return None, (f"too long: {len(a.text):,} characters, more than --max-chars "
                      f"{max_chars:,}"), None
    problem = _letters_problem(a.text)
    if problem:
        return None, problem, None
    warning = None
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", a.date or "")
    if m:
        try:
            datetime.date(*map(int, m.groups()))
        except ValueError:
            warning = f"invalid date {a.date!r} dropped"
            a = dataclasses.replace(a, date=None)
    return a, None, warning


def parse_txt(text: str, id: str, source: str | None = None) -> Article:
    text = normalize_text(text)
    return Article(id=id, text=text, title=_title_of_text(text), source=source)


# --- Markdown -----------------------------------------------------------------------------
_MD_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](url)
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"<https?://[^>]+>"), ""),  # autolinks
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),  # inline HTML tags
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"\*\*(.+?)\*\*"), r"\1"),
    (re.compile(r"(?<!\w)__(.+?)__(?!\w)"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(.+?)~~"), r"\1"),
]


def markdown_to_text(md: str) -> tuple[str, dict[str, str]]:
    """Markdown -> plain paragraphs (markup removed, code blocks dropped) and the
    front-matter fields (title, date, lang, url) when a `---` block opens the file."""
    md = normalize_text(md)
    meta: dict[str, str] = {}
    fm = re.match(r"---\n(.*?)\n---\n", md, re.S)
    if fm:
        for line in fm.group(1).split("\n"):
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip().lower()] = value.strip().strip("\"'")
        md = md[fm.end():]
    out: list[str] = []
    in_code = False
    for line in md.split("\n"):
        if re.match(r"\s*(```|~~~)", line):
            in_code = not in_code
            continue
        if in_code or re.match(r"\s*\[[^\]]+\]:\s*\S+", line):
            continue
        if re.fullmatch(r"\s*(=+|-+)\s*", line) and out and out[-1].strip():
            continue  # setext underline: the line above is the heading
        if re.fullmatch(r"\s*([-*_]\s*){3,}", line):
            line = ""
        line = re.sub(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", r"\1", line)
        line = re.sub(r"^\s*(>\s?)+", "", line)
        line = re.sub(r"^\s*([-*+]|\d+[.)])\s+", "", line)
        for pattern, repl in _MD_INLINE:
            line = pattern.sub(repl, line)
        out.append(line.strip())
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()
    return text, meta


def parse_md(md: str, id: str, source: str | None = None) -> Article:
    raw = normalize_text(md)
    text, meta = markdown_to_text(raw)
    first = re.sub(r"^---\n.*?\n---\n", "", raw, flags=re.S).lstrip("\n").split("\n", 1)[0]
    heading = re.match(r"\s{0,3}#{1,6}\s+\S", first)
    title = meta.get("title") or None
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    elif not title:
        title = text.split("\n", 1)[0].strip() if heading else _title_of_text(text)
    return Article(id=id, text=text, title=title, lang=_lang(meta.get("lang")),
                   date=_date(meta.get("date")), source=source, url=meta.get("url"))


# --- HTML ---------------------------------------------------------------------------------
_HTML_DROP = "script, style, nav, header, footer, aside, noscript, form, iframe, svg, template, button, figcaption"
_HTML_BLOCKS = "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, dd, dt, td, th"


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def parse_html(html: str, id: str, source: str | None = None) -> Article:
    """Main text of a web page: the <article> (else <main>, else <body>) without scripts,
    styles, navigation, headers, footers and asides; the <h1> (else <title>) is the title."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    root = (tree.css_first("article") or tree.css_first("main")
            or tree.css_first("[role=main]") or tree.body or tree.root)

    def meta(*selectors: str) -> str | None:
        for sel in selectors:
            node = tree.css_first(sel)
            if node is not None:
                value = node.attributes.get("content") or node.attributes.get("datetime") \
                    or node.attributes.get("href")
                if value:
                    return value.strip()
        return None

    title = None
    for node in ([root.css_first("h1")] if root is not None else []) + [tree.css_first("h1"), tree.css_first("title")]:
        if node is not None and _squash(node.text(deep=True)):
            title = _squash(node.text(deep=True))
            break
    html_node = tree.css_first("html")
    lang = _lang(html_node.attributes.get("lang")) if html_node is not None else None
    date = _date(meta("meta[property='article:published_time']", "meta[name='date']",
                      "meta[itemprop='datePublished']", "time[datetime]"))
    url = meta("link[rel='canonical']", "meta[property='og:url']")
    blocks: list[str] = []
    if root is not None:
        for node in root.css(_HTML_DROP):
            node.decompose()
        for selector in (_HTML_BLOCKS, _HTML_BLOCKS + ", div, section"):
            for node in root.css(selector):
                if len(node.css(selector)) > 1:
                    continue  # not a leaf: its inner blocks are taken one by one
                s = _squash(node.text(deep=True, separator=""))
                if s and s != title:
                    blocks.append(s)
            if blocks:
                break  # pages without <p> fall back to the innermost <div>s
        if not blocks:
            s = _squash(root.text(deep=True, separator=""))
            blocks = [s] if s and s != title else []
    body = "\n\n".join(blocks)
    text = f"{title}\n\n{body}" if title and body else (body or "")
    return Article(id=id, text=text, title=title if body else None, lang=lang, date=date,
                   source=source, url=url)


# --- JSONL --------------------------------------------------------------------------------
def parse_jsonl(content: str, stem: str, source: str, first_line: int = 1) -> tuple[list[Article], list[Rejection]]:
    """One article per line: {"id", "title", "text", "date", "url", "lang"}; `text` is
    required. A malformed line is rejected by itself ("file.jsonl:7", reason).
    first_line: the line number of content's first line in its file."""
    articles: list[Article] = []
    rejected: list[Rejection] = []
    for lineno, line in enumerate(content.split("\n"), first_line):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            rejected.append((where, f"malformed JSON line ({e.msg} at column {e.colno})"))
            continue
        if not isinstance(obj, dict):
            rejected.append((where, "a JSONL line must be a JSON object"))
            continue
        text = obj.get("text")
        if not isinstance(text, str) or not text.strip():
            rejected.append((where, "missing or empty 'text' field"))
            continue
        # a number is a fine id or title; true/false/objects are mistakes (`"id": true`
        # would be stored as the id "True")
        bad = [k for k in ("id", "title", "date", "url", "lang")
               if obj.get(k) is not None and (isinstance(obj[k], bool) or not isinstance(obj[k], (str, int)))]
        if bad:
            rejected.append((where, f"field {bad[0]!r} must be a string"))
            continue
        title = _squash(str(obj["title"])) if obj.get("title") else None
        text = normalize_text(text)
        if title and not text.startswith(title):
            text = f"{title}\n\n{text}"
        aid = str(obj["id"]).strip() if obj.get("id") is not None else ""
        aid = aid or f"{stem}-{lineno}"  # no id, or a blank one: the line names the article
        articles.append(Article(id=aid, text=text, title=title or _title_of_text(text),
                                lang=_lang(obj.get("lang")), date=_date(obj.get("date")),
                                source=where, url=obj.get("url") or None))
    return articles, rejected


# --- files, folders, globs ----------------------------------------------------------------
def read_file(path: str | Path, max_chars: int = DEFAULT_MAX_CHARS) -> ReadResult:
    """Read one file into its article(s); any problem becomes a rejection. Every article
    passes check_article; texts longer than max_chars characters are rejected."""
    path = Path(path)
    src = source_name(path)
    if _surrogate(src) is not None:
        # the id and biz:source come from the name: they must be text
        return ReadResult([], [(shown(src), "file name is not valid UTF-8 (rename the file)")])
    try:
        st = path.stat()
    except FileNotFoundError:
        return ReadResult([], [(src, "no such file or directory")])
    except OSError as e:
        return ReadResult([], [(src, f"cannot read file ({e.strerror or e})")])
    if stat.S_ISDIR(st.st_mode):
        return read_paths([path], max_chars=max_chars)
    if not stat.S_ISREG(st.st_mode):  # a FIFO or a device would block or never end
        return ReadResult([], [(src, "not a regular file")])
    kind = SUFFIXES.get(path.suffix.lower(), "txt")
    # UTF-8 takes at most 4 bytes a character: a file over 4 * max_chars bytes is too long
    # without reading it (a JSONL file holds many articles: each is checked by itself)
    if kind != "jsonl" and st.st_size > 4 * max_chars:
        return ReadResult([], [(src, f"too long: {st.st_size:,} bytes, more than --max-chars "
                                     f"{max_chars:,} characters")])
    if kind == "jsonl":
        try:
            streamed = _read_jsonl_lines(path, src, max_chars)
        except OSError as e:
            return ReadResult([], [(src, f"cannot read file ({e.strerror or e})")])
        if streamed is not None:
            return _checked(*streamed, max_chars)
    try:
        data = path.read_bytes()
    except OSError as e:
        return ReadResult([], [(src, f"cannot read file ({e.strerror or e})")])
    try:
        content, warning = decode_text(data)
    except BinaryFile as e:
        return ReadResult([], [(src, str(e))])
    del data
    warnings = [(src, warning)] if warning else []
    if not content.strip():
        return ReadResult([], [(src, "empty file")])
    if kind == "jsonl":
        arts, rejected = parse_jsonl(content, path.stem, src)
        if not arts and not rejected:
            rejected = [(src, "empty file")]
    else:
        parser = {"txt": parse_txt, "md": parse_md, "html": parse_html}[kind]
        article = parser(content, id=path.stem, source=src)
        if not article.text.strip():
            return ReadResult([], [(src, f"no article text found in this {kind.upper()} file")], warnings)
        arts, rejected = [article], []
    return _checked(arts, rejected, warnings, max_chars)


def _checked(arts: list[Article], rejected: list[Rejection], warnings: list[Rejection],
             max_chars: int) -> ReadResult:
    """The ReadResult of what a reader found, once every article passed check_article."""
    checked = []
    for a in arts:
        a2, reason, warning = check_article(a, max_chars)
        where = a.source or a.id
        if reason:
            rejected.append((shown(where), reason))
            continue
        if warning:
            warnings.append((where, warning))
        checked.append(a2)
    return ReadResult(checked, rejected, warnings)


def _read_jsonl_lines(path: Path, src: str, max_chars: int):
    """(articles, rejected, warnings) of a JSONL file read line by line, so memory is bounded
    by one line, not the file; a line too long to hold an article of max_chars characters
    is skipped unread. None for a UTF-16 file (read whole by the caller)."""
    limit = 6 * max_chars + 65_536  # JSON may spell one character as 6 bytes (\\u00e8)
    articles: list[Article] = []
    rejected: list[Rejection] = []
    warnings: list[Rejection] = []
    with open(path, "rb") as f:
        head = f.read(8192)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return None
        if b"\x00" in head:
            return [], [(src, "binary file (contains NUL bytes), not text")], []
        f.seek(len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0)
        lineno = 0
        while line := f.readline(limit + 1):
            lineno += 1
            where = f"{src}:{lineno}"
            if len(line) > limit and not line.endswith(b"\n"):
                while (rest := f.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass  # skip the rest of the line without holding it
                rejected.append((where, f"too long: a line over {limit:,} bytes cannot hold an "
                                        f"article of at most --max-chars {max_chars:,} characters"))
                continue
            if not line.strip():
                continue
            try:
                text, warning = decode_text(line)
            except BinaryFile as e:
                rejected.append((where, str(e)))
                continue
            if warning:
                warnings.append((where, warning))
            arts, rej = parse_jsonl(text.rstrip("\r\n"), path.stem, src, first_line=lineno)
            articles += arts
            rejected += rej
    if not articles and not rejected:
        rejected = [(src, "empty file")]
    return articles, rejected, warnings


def _folder_files(folder: Path) -> tuple[list[Path], list[Rejection]]:
    """Article files under folder (recursive, hidden files and folders skipped) and one
    rejection per subfolder that cannot be read (its articles would silently be missing)."""
    files: list[Path] = []
    rejected: list[Rejection] = []

    def unreadable(e: OSError) -> None:
        where = source_name(e.filename) if e.filename else source_name(folder)
        rejected.append((shown(where), f"cannot read folder ({e.strerror or e}); its articles were skipped"))

    for root, dirs, names in os.walk(folder, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        files += [Path(root) / n for n in names
                  if not n.startswith(".") and Path(n).suffix.lower() in SUFFIXES]
    return sorted(files), rejected


def expand_paths(paths) -> tuple[list[Path], list[Rejection]]:
    """Files named by paths, folders (recursively: .txt .md .html .jsonl) and glob patterns,
    each file once, in a stable order."""
    files: list[Path] = []
    rejected: list[Rejection] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found, unreadable = _folder_files(p)
            rejected += unreadable
            if not found and not unreadable:
                rejected.append((shown(str(raw)), f"no articles found in this directory (looked for {SUPPORTED})"))
            files += found
        elif p.exists():
            files.append(p)
        elif glob.has_magic(str(raw)):
            matches = sorted(glob.glob(str(raw), recursive=True))
            found = []
            for m in map(Path, matches):
                if m.is_dir():
                    inside, unreadable = _folder_files(m)
                    found += inside
                    rejected += unreadable
                elif m.suffix.lower() in SUFFIXES:
                    found.append(m)
            if not found:
                rejected.append((shown(str(raw)), f"no articles match this pattern ({SUPPORTED})"))
            files += found
        else:
            rejected.append((shown(str(raw)), "no such file or directory"))
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, rejected


def read_paths(paths, max_chars: int = DEFAULT_MAX_CHARS) -> ReadResult:
    """Read every article under `paths` (files, folders, globs). Articles whose id was
    already read in this run are rejected (ids name articles in the store)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files, rejected = expand_paths(paths)
    articles: list[Article] = []
    warnings: list[Rejection] = []
    first_source: dict[str, str] = {}
    for f in files:
        result = read_file(f, max_chars=max_chars)
        rejected += result.rejected
        warnings += result.warnings
        for a in result.articles:
            if a.id in first_source:
                rejected.append((a.source or str(f), f"duplicate article id {a.id!r} (already read from {first_source[a.id]})"))
                continue
            first_source[a.id] = a.source or str(f)
            articles.append(a)
    return ReadResult(articles, rejected, warnings)
