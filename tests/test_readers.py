"""Every reader on a small file of its format, and the decoding rules they share."""

from __future__ import annotations

import datetime as dt
import json
import socket
from email.message import EmailMessage
from pathlib import Path

import pytest

from briefing.ingest import ReadError, content_id, default_readers, derive_title, read_articles, read_items
from tests.conftest import MERGER_TEXT, SEED, news_text

LIMIT = 5 * 1024 * 1024


def read(path: Path, **kwargs: object) -> list:
    return read_articles(path, max_bytes=LIMIT, **kwargs)  # type: ignore[arg-type]


def test_registry_is_explicit_and_covers_every_format() -> None:
    readers = default_readers()
    assert set(readers) >= {".txt", ".md", ".html", ".htm", ".eml", ".json"}
    assert readers[".html"] is readers[".htm"]


def test_seed_format_drops_the_date_header() -> None:
    [article] = read(SEED)
    assert article.date == dt.date(2022, 2, 17)
    assert not article.date_inferred
    assert article.text.startswith("Turkish President Tayyip Erdogan")
    assert "date 2022" not in article.text
    assert article.title and len(article.title) <= 91


@pytest.mark.parametrize("separator", [" ", "\n", "\r\n"])
def test_seed_format_body_on_same_or_next_line(write_article, separator: str) -> None:
    path = write_article("a.txt", f"  \ndate 2021-12-03{separator}{news_text()}")
    [article] = read(path)
    assert article.date == dt.date(2021, 12, 3)
    assert article.text == news_text()


def test_text_header_lines(write_article) -> None:
    body = news_text("bridge")
    path = write_article(
        "b.txt",
        f"Title: Bridge plan unveiled\nDate: 2022-03-01\nSource: Harbour Gazette\nURL: https://example.org/b\n\n{body}",
    )
    [article] = read(path)
    assert (article.title, article.date, article.url) == (
        "Bridge plan unveiled",
        dt.date(2022, 3, 1),
        "https://example.org/b",
    )
    assert article.meta["publisher"] == "Harbour Gazette"
    assert article.text == body


def test_text_without_date_takes_file_time_and_says_so(write_article) -> None:
    path = write_article("c.txt", news_text(), mtime=dt.date(2023, 5, 6))
    [article] = read(path)
    assert article.date == dt.date(2023, 5, 6)
    assert article.date_inferred


def test_word_date_at_start_is_body_not_header(write_article) -> None:
    path = write_article("palms.txt", "Date palms are grown across the region. Farmers sold more of them this year.")
    [article] = read(path)
    assert article.text.startswith("Date palms")
    assert article.date_inferred


def test_markdown_front_matter(write_article) -> None:
    body = news_text("tunnel")
    path = write_article(
        "d.md",
        f"---\ntitle: Tunnel approved\ndate: 2022-04-02\nsource: City Wire\nurl: https://example.org/t\n---\n"
        f"# Ignored heading\n\nSome **bold** claim with a [link](https://x.test/).\n\n{body}\n",
    )
    [article] = read(path)
    assert (article.title, article.date, article.url) == (
        "Tunnel approved",
        dt.date(2022, 4, 2),
        "https://example.org/t",
    )
    assert "Some bold claim with a link." in article.text
    assert "**" not in article.text and "](" not in article.text


def test_markdown_heading_is_title_without_front_matter(write_article) -> None:
    path = write_article("e.md", f"# Port strike ends\n\n{news_text()}")
    [article] = read(path)
    assert article.title == "Port strike ends"


def test_html_main_text_and_metadata_nothing_fetched(write_article, monkeypatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the HTML reader tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    body = "".join(f"<p>{s}.</p>" for s in news_text("airport", 8).split(". "))
    html = (
        "<html><head><title>Airport expansion | Gazette</title>"
        '<meta property="og:title" content="Airport expansion approved">'
        '<meta property="article:published_time" content="2022-05-03T10:00:00Z">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css"><script>fetch("http://127.0.0.1:9/")</script></head>'
        f"<body><nav>Home | World | Sport</nav><article><h1>Airport expansion approved</h1>{body}"
        '<img src="file:///etc/passwd"></article><footer>Copyright Gazette</footer></body></html>'
    )
    path = write_article("f.html", html)
    [article] = read(path)
    assert article.title == "Airport expansion approved"
    assert article.date == dt.date(2022, 5, 3)
    assert "airport project will cost about 40 million euros" in article.text
    assert "Home | World" not in article.text and "fetch(" not in article.text


def _email(subject: str, date: str, body: str, html: str | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = "Newsletter <news@example.org>"
    message["To"] = "analyst@example.org"
    message["Subject"] = subject
    message["Date"] = date
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return bytes(message)


def test_eml_plain_text(write_article) -> None:
    path = write_article(
        "g.eml", _email("Ferry service resumes", "Fri, 06 May 2022 08:00:00 +0000", news_text("ferry"))
    )
    [article] = read(path)
    assert (article.title, article.date) == ("Ferry service resumes", dt.date(2022, 5, 6))
    assert article.text == news_text("ferry")


def test_eml_html_only_part(write_article) -> None:
    message = EmailMessage()
    message["Subject"] = "Rail strike called off"
    message["Date"] = "Sat, 07 May 2022 08:00:00 +0000"
    message.set_content(f"<html><body><p>{news_text('rail')}</p></body></html>", subtype="html")
    path = write_article("h.eml", bytes(message))
    [article] = read(path)
    assert article.title == "Rail strike called off"
    assert "rail project will cost" in article.text


def test_eml_forwarded_article_uses_original_subject_and_date(write_article) -> None:
    body = (
        "FYI, see below.\n\n---------- Forwarded message ---------\nFrom: Desk <desk@example.org>\n"
        "Date: Mon, 2 May 2022 09:00:00 +0000\nSubject: Dam repairs finished\nTo: me@example.org\n\n" + news_text("dam")
    )
    path = write_article("i.eml", _email("Fwd: Dam repairs finished", "Tue, 10 May 2022 08:00:00 +0000", body))
    [article] = read(path)
    assert (article.title, article.date) == ("Dam repairs finished", dt.date(2022, 5, 2))
    assert "Forwarded message" not in article.text and "Subject:" not in article.text


def test_json_object_and_list(write_article) -> None:
    one = write_article("j.json", json.dumps({"title": "Canal", "date": "2022-06-01", "text": news_text("canal")}))
    [article] = read(one)
    assert (article.title, article.date, article.source) == ("Canal", dt.date(2022, 6, 1), str(one))
    many = write_article(
        "k.json",
        json.dumps([{"title": f"Item {i}", "date": "2022-06-02", "text": news_text(f"topic{i}")} for i in range(3)]),
    )
    articles = read(many)
    assert [a.title for a in articles] == ["Item 0", "Item 1", "Item 2"]
    assert [a.source for a in articles] == [f"{many}#{i}" for i in range(3)]


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("cp1252", b""),
    ],
)
def test_encodings(write_article, encoding: str, prefix: bytes) -> None:
    text = "date 2022-02-17\nCafé owners in Zürich said the “new rules” would cost them €2,000 a month. " + news_text()
    path = write_article("enc.txt", prefix + text.encode(encoding))
    [article] = read(path)
    assert article.text.startswith("Café owners in Zürich said the “new rules” would cost them €2,000")
    assert article.date == dt.date(2022, 2, 17)


def test_invalid_utf8_is_read_as_legacy_text_not_a_crash(write_article) -> None:
    path = write_article(
        "bad.txt", b"date 2022-02-17\nThe minister\xff said \x93yes\x94 to the plan. " + news_text().encode()
    )
    [article] = read(path)
    assert "said" in article.text and "yes" in article.text


def test_same_text_same_id_whatever_the_spacing() -> None:
    assert content_id("A  b\nc") == content_id("a b c")
    assert content_id("a b c") != content_id("a b d")


def test_derived_title_is_short_and_ends_cleanly() -> None:
    title = derive_title(SEED.read_text(encoding="utf-8")[17:])
    assert len(title) <= 91 and title.startswith("Turkish President Tayyip Erdogan")
    assert derive_title("Short headline sentence. And more.") == "Short headline sentence"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t\n", "whitespace"),
        ("binary.txt", bytes(range(256)) * 40, "binary"),
        ("pdf.txt", b"%PDF-1.7\n" + bytes(range(256)), "PDF"),
        ("baddate.txt", b"date 2022-13-45 The council met on Monday.", "not a valid date"),
        ("badheader.txt", b"Date: yesterday-ish\n\nThe council met.", "not a date"),
        ("broken.json", b'{"title": "x", ', "not valid JSON"),
        ("notext.json", b'{"title": "x"}', "no text"),
        ("badfront.md", b"---\ntitle: [unclosed\n---\nBody text here.", "front matter"),
        ("empty.html", b"<html><body><script>x()</script></body></html>", "no article text"),
        ("notes.docx", b"PK\x03\x04 something", "no reader for .docx"),
    ],
)
def test_bad_input_gives_a_clear_reason(write_article, name: str, content: bytes, reason: str) -> None:
    path = write_article(name, content)
    with pytest.raises(ReadError, match=reason):
        read(path)


def test_file_over_the_limit_is_refused_before_reading(write_article) -> None:
    path = write_article("huge.txt", b"date 2022-02-17 " + b"word " * (2 * 1024 * 1024))
    with pytest.raises(ReadError, match=r"10\.0 MB, over the 5\.0 MB limit"):
        read(path)


def test_directory_named_like_an_article(project: Path) -> None:
    folder = project / "seeds" / "folder.txt"
    folder.mkdir()
    with pytest.raises(ReadError, match="directory"):
        read(folder)


def test_missing_file_says_so(project: Path) -> None:
    with pytest.raises(ReadError, match="no such file"):
        read(project / "seeds" / "absent.txt")


@pytest.mark.parametrize(
    ("header", "placeholder"),
    [
        ("date 0001-01-01", "0001-01-01"),  # .NET's DateTime.MinValue
        ("Date: 9999-12-31T23:59:59", "9999-12-31"),  # DateTime.MaxValue, "never expires"
        ("Date: 1970-01-01", "1970-01-01"),  # Unix time 0
        ("Date: 1899-12-30", "1899-12-30"),  # the spreadsheet epoch
    ],
)
def test_a_placeholder_date_is_ignored_and_the_date_taken_from_the_file(
    write_article, header: str, placeholder: str
) -> None:
    path = write_article("feed.txt", f"{header}\n{news_text('harbour')}", mtime=dt.date(2022, 2, 17))
    [article] = read(path)
    assert article.date == dt.date(2022, 2, 17) and article.date_inferred
    assert article.meta["date_ignored"] == placeholder


def test_plausible_dates_are_kept_up_to_a_year_ahead(write_article) -> None:
    for day in ("1900-01-01", "1969-07-20", "2023-02-17"):
        path = write_article("old.txt", f"date {day}\n{news_text('harbour')}", mtime=dt.date(2022, 2, 17))
        [article] = read(path)
        assert article.date == dt.date.fromisoformat(day) and not article.date_inferred


def test_a_json_list_item_with_a_placeholder_date_keeps_its_article(write_article) -> None:
    items = [{"date": "0001-01-01T00:00:00", "text": news_text("harbour")}, {"date": "2022-02-16", "text": MERGER_TEXT}]
    path = write_article("feed.json", json.dumps(items), mtime=dt.date(2022, 2, 17))
    first, second = read(path)
    assert (first.date, first.date_inferred) == (dt.date(2022, 2, 17), True)
    assert (second.date, second.date_inferred) == (dt.date(2022, 2, 16), False)


def test_a_bad_item_of_a_json_list_costs_only_itself(write_article) -> None:
    items = [
        {"title": "Canal", "date": "2022-06-01", "text": news_text("canal")},
        42,
        {"title": "Empty", "text": "  "},
        {"title": "Bad date", "date": "2022-13-45", "text": news_text("bridge")},
        {"title": "Dock", "text": news_text("dock")},
    ]
    path = write_article("list.json", json.dumps(items))
    got = read_items(path, max_bytes=LIMIT)
    assert [(type(x).__name__, x.source) for x in got] == [
        ("Article", f"{path}#0"),
        ("ItemError", f"{path}#1"),
        ("ItemError", f"{path}#2"),
        ("ItemError", f"{path}#3"),
        ("Article", f"{path}#4"),
    ]
    assert got[1].reason == "item 1 is not a JSON object"
    assert got[2].reason.startswith("item 2 has no text")
    assert "2022-13-45" in got[3].reason
    with pytest.raises(ReadError, match="item 1 is not a JSON object"):
        read(path)  # read_articles: all or nothing
    single = write_article("one.json", json.dumps([42]))
    with pytest.raises(ReadError, match="item 0 is not a JSON object"):
        read_items(single, max_bytes=LIMIT)  # a list of one bad item: the file fails


LEGACY = {
    "fr": (
        "latin-1",
        "Le président de la République a déclaré jeudi à Genève que les négociations avançaient bien et"
        " qu'un accord serait signé d'ici à la fin de l'année. Selon l'agence, les ministres des Affaires"
        " étrangères se retrouveront à Bruxelles en février pour préparer le sommet. À Marseille, la mairie a"
        " annoncé la fermeture des écoles pendant deux jours en raison des intempéries.",
    ),
    "es": (
        "latin-1",
        "El presidente Peña Nieto llegó a Jerusalén el martes para reunirse con el primer ministro. La visita,"
        " según fuentes oficiales, durará tres días e incluirá una reunión en Belén. El ministro de Economía"
        " señaló que la inflación bajará el próximo año. En Córdoba, miles de personas pidieron más inversión.",
    ),
    "de": (
        "cp1252",
        "Der Bürgermeister von Köln sagte am Dienstag, die Straßenbahn werde ab März wieder fahren. Die Gebühren"
        " für Anwohner würden „nicht erhöht“, erklärte er vor Journalisten im Rathaus. Die Opposition kritisierte"
        " die Verzögerungen und forderte eine Überprüfung der Kosten, die sich fast verdoppelt hätten.",
    ),
    "ru": (
        "cp1251",
        "Президент России заявил во вторник, что переговоры продолжатся на следующей неделе в Стамбуле."
        " Министр иностранных дел добавил, что правительство ожидает быстрого соглашения. Оппозиция"
        " раскритиковала власти за рост цен на энергию и отсутствие помощи семьям.",
    ),
    "cz": (
        "cp1250",
        "Předseda vlády České republiky řekl v úterý, že jednání s odbory budou pokračovat příští týden."
        " Ministr financí uvedl, že rozpočet na příští rok počítá s nižším schodkem než letos. Opozice vládu"
        " kritizovala za zdražování energií a za to, že nepředložila plán na podporu domácností. Podle"
        " průzkumu agentury se většina obyvatel obává růstu cen potravin a bydlení.",
    ),
}


@pytest.mark.parametrize("language", sorted(LEGACY))
def test_legacy_8bit_text_is_decoded_right(write_article, language: str) -> None:
    """Latin-1 and cp1252 news read as cp1252 (not cp1250 'Peńa' or cp775); Cyrillic and Central European text
    in their own code pages still decode right."""
    encoding, text = LEGACY[language]
    path = write_article(f"{language}.txt", f"date 2022-02-17\n{text}".encode(encoding))
    [article] = read(path)
    assert article.text == text
    assert article.meta["encoding"] == {"latin-1": "cp1252"}.get(encoding, encoding)


@pytest.mark.parametrize(
    ("front", "reason"),
    [
        ("date: 2022-02-30", "the front matter date '2022-02-30' is not a valid date (day is out of range for month)"),
        (
            'title: "unclosed\ndate: [2022',
            "the front matter is not valid YAML (found unexpected end of stream, line 2,",
        ),
    ],
)
def test_front_matter_errors_give_a_one_line_reason(write_article, front: str, reason: str) -> None:
    path = write_article("bad.md", f"---\n{front}\n---\nThe council met on Monday.\n")
    with pytest.raises(ReadError) as caught:
        read(path)
    assert str(caught.value).startswith(reason) and "\n" not in str(caught.value)


def test_front_matter_dates_with_a_time_are_read(write_article) -> None:
    path = write_article("timed.md", "---\ndate: 2022-02-17 10:30:00\n---\nThe council met on Monday.\n")
    assert read(path)[0].date == dt.date(2022, 2, 17)


def test_every_reason_is_one_line() -> None:
    assert str(ReadError("a library said\n  this, then\n\tthat")) == "a library said this, then that"
