"""The command line end to end, in a temporary project: analyze, ingest, generate, status."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.cli import main
from tests.conftest import SEED, news_text


def analyze_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict], str]:
    status = main(["analyze", "--json", *args])
    captured = capsys.readouterr()
    return status, [json.loads(line) for line in captured.out.splitlines()], captured.err


def test_analyze_seed_follows_the_contract(in_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, [record], _ = analyze_json(capsys, str(SEED))
    assert status == 0
    assert record["date"] == "2022-02-17"
    assert record["title"].strip()
    assert not record["text"].lstrip().lower().startswith("date")
    assert len(record["id"]) == 64
    assert len(record["key_points"]) == 3
    for point in record["key_points"]:
        assert record["text"][point["start"] : point["end"]] == point["text"]
        assert point["text"].endswith((".", "”", '"'))
    for key in ("actors", "times", "events"):
        assert isinstance(record[key], list)


def test_analyze_key_points_and_date_options(in_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, [record], _ = analyze_json(capsys, "--key-points", "5", "--date", "2023-01-02", str(SEED))
    assert status == 0
    assert len(record["key_points"]) == 5
    assert record["date"] == "2023-01-02"


def test_analyze_reports_bad_files_in_place_and_exits_1(in_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = in_project / "empty.txt"
    empty.write_bytes(b"")
    status, records, err = analyze_json(capsys, str(empty), str(SEED), "missing.txt")
    assert status == 1
    assert [r["source"] for r in records] == [str(empty), str(SEED), "missing.txt"]
    assert "empty" in records[0]["error"]
    assert "key_points" in records[1]
    assert "error" in records[2]
    assert "empty" in err  # the reason also goes to stderr, never to stdout alone


def test_usage_and_config_errors_exit_2(
    in_project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BRIEFING_TIMEZONE")
    with pytest.raises(SystemExit) as exc:
        main(["analyze", "--json", "--key-points", "zero", str(SEED)])
    assert exc.value.code == 2
    (in_project / "briefing.toml").write_text('timezone = "Mars/Olympus"\nsurprise = 1\n', encoding="utf-8")
    assert main(["status"]) == 2
    err = capsys.readouterr().err
    assert "Mars/Olympus" in err and "surprise" in err


def test_generate_writes_dated_html_and_pdf_with_the_key_points(
    in_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (in_project / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    (in_project / "seeds" / "broken.txt").write_bytes(b"\x00\x01\x02" * 100)
    status = main(["generate"])
    out = capsys.readouterr().out
    assert status == 1  # one input failed; the briefing is still written
    html_files = sorted((in_project / "reports").glob("20??-??-??/briefing-????.html"))
    pdf_files = sorted((in_project / "reports").glob("20??-??-??/briefing-????.pdf"))
    assert len(html_files) == len(pdf_files) == 1
    assert str(html_files[0].relative_to(in_project)) in out

    _, [record], _ = analyze_json(capsys, str(SEED))
    pdf_text = " ".join("".join(page.extract_text() for page in PdfReader(pdf_files[0]).pages).split())
    for point in record["key_points"]:
        assert " ".join(point["text"].split()) in pdf_text
    assert "broken.txt" in pdf_text and "binary" in pdf_text  # the failed file is shown, not lost
    html = html_files[0].read_text(encoding="utf-8")
    assert record["key_points"][0]["text"].replace("’", "’") in html.replace("&#39;", "'")
    assert (in_project / "reports" / "latest.pdf").read_bytes() == pdf_files[0].read_bytes()
    assert html_files[0].name in (in_project / "reports" / "index.html").read_text(encoding="utf-8")

    # A second briefing in the same minute gets its own name; nothing is overwritten.
    assert main(["generate", "--no-ingest"]) == 0
    assert len(sorted((in_project / "reports").glob("20??-??-??/briefing-*.pdf"))) == 2

    assert main(["status"]) == 0
    status_out = capsys.readouterr().out
    assert "articles stored: 1" in status_out and "broken.txt" in status_out


def test_no_network_during_analyze_and_generate(
    in_project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[object] = []

    def blocked(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network access is blocked in this test")

    monkeypatch.setattr(socket.socket, "connect", blocked)
    monkeypatch.setattr(socket.socket, "connect_ex", blocked)
    monkeypatch.setattr(socket, "create_connection", blocked)
    monkeypatch.setattr(socket, "getaddrinfo", blocked)
    (in_project / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    (in_project / "seeds" / "page.html").write_text(
        f'<html><head><link rel="stylesheet" href="http://127.0.0.1:9/a.css"></head><body><p>{news_text()}</p>'
        '<img src="https://example.org/x.png"></body></html>',
        encoding="utf-8",
    )
    status, records, _ = analyze_json(capsys, str(SEED))
    assert status == 0 and records[0]["key_points"]
    assert main(["generate"]) == 0
    assert (in_project / "reports" / "latest.pdf").stat().st_size > 1000
    assert attempts == []


def test_generate_as_of_a_past_day_judges_events_against_it(
    in_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (in_project / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    assert main(["generate", "--as-of", "2022-02-18"]) == 0
    [html] = (in_project / "reports" / "2022-02-18").glob("briefing-*.html")
    text = html.read_text(encoding="utf-8")
    assert "Articles dated" in text and "in 19 days" in text  # the March 9-10 visit is still ahead
    assert "Friday 18 February 2022" in text

    # With --since, the briefing covers the articles dated from that day (a date or a date-time).
    for since in ("2022-02-17", "2022-02-17T00:00"):
        assert main(["generate", "--no-ingest", "--format", "html", "--as-of", "2022-02-18", "--since", since]) == 0
        assert "1 article(s)" in capsys.readouterr().out
    assert main(["generate", "--no-ingest", "--format", "html", "--as-of", "2022-02-18", "--since", "2022-02-18"]) == 0
    assert "0 article(s)" in capsys.readouterr().out
    assert main(["generate", "--no-ingest", "--as-of", "2022-02-18", "--since", "2022-02-19"]) == 2


def test_generate_period_format_template_and_out_options(
    in_project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (in_project / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    templates = tmp_path / "mine"
    templates.mkdir()
    (templates / "briefing.html.j2").write_text("<p>Mine: {{ report.briefing.stories | length }} stories</p>")
    out = tmp_path / "elsewhere"
    assert main(["generate", "--format", "html", "--template", str(templates), "--out", str(out)]) == 0
    [html] = out.glob("20??-??-??/briefing-*.html")
    assert html.read_text(encoding="utf-8") == "<p>Mine: 1 stories</p>"
    assert not list(out.glob("20??-??-??/*.pdf")) and not (in_project / "reports" / "latest.html").exists()

    # A window that ended before the article arrived holds nothing.
    assert main(["generate", "--no-ingest", "--format", "html", "--until", "2020-01-01", "--out", str(out)]) == 0
    assert "0 article(s)" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        main(["generate", "--format", "docx"])
    assert exc.value.code == 2
    assert main(["generate", "--as-of", "2022-02-18", "--until", "2022-02-19"]) == 2


def test_analyze_reports_an_article_that_breaks_the_analysis_in_place(
    in_project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing import pipeline

    real = pipeline.analyse

    def fragile(article, options):  # a bug hit by one odd article
        if "poison" in article.text:
            raise IndexError("list index out of range")
        return real(article, options)

    monkeypatch.setattr(pipeline, "analyse", fragile)
    odd = in_project / "odd.txt"
    odd.write_text("The poison was found in the river. " + news_text("river"), encoding="utf-8")
    status, records, err = analyze_json(capsys, str(odd), str(SEED))
    assert status == 1
    assert records[0] == {
        "source": str(odd),
        "error": "the article could not be analysed (IndexError: list index out of range)",
    }
    assert "key_points" in records[1]
    assert "could not be analysed" in err


def test_analyze_into_a_pipe_closed_early_stops_quietly(in_project: Path) -> None:
    """``briefing analyze --json ... | head -1``: no BrokenPipeError traceback, the status of SIGPIPE."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("BRIEFING_")}
    paths = [str(SEED)] * 40
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing", "analyze", "--json", *paths],
        cwd=in_project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # what head -1 does after its line
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 128 + signal.SIGPIPE
    assert json.loads(first)["source"] == str(SEED)
    assert err == ""


def test_generate_with_feed_placeholder_dates_makes_a_briefing(
    in_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Items dated 0001-01-01 and 9999-12-31 (what .NET feeds write for 'unknown') crashed generate."""
    items = [
        {"title": "Harbour plan", "date": "0001-01-01T00:00:00", "text": news_text("harbour")},
        {"title": "Museum plan", "date": "9999-12-31T23:59:59", "text": news_text("museum")},
    ]
    (in_project / "seeds" / "feed.json").write_text(json.dumps(items), encoding="utf-8")
    assert main(["generate", "--format", "html"]) == 0
    html = (in_project / "reports" / "latest.html").read_text(encoding="utf-8")
    assert "Harbour plan" in html and "Museum plan" in html


def test_analyze_gives_one_error_line_per_bad_item_of_a_json_list(
    in_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = [{"title": "Canal", "text": news_text("canal")}, 42, {"title": "Dock", "text": news_text("dock")}]
    (in_project / "list.json").write_text(json.dumps(items), encoding="utf-8")
    status, records, err = analyze_json(capsys, "list.json")
    assert status == 1
    assert [r["source"] for r in records] == ["list.json#0", "list.json#1", "list.json#2"]
    assert records[1] == {"source": "list.json#1", "error": "item 1 is not a JSON object"}
    assert records[0]["title"] == "Canal" and records[2]["title"] == "Dock"
    assert "list.json#1: item 1 is not a JSON object" in err


def test_analyze_lists_notable_events_for_people_and_every_dated_event_in_json(
    in_project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    article = tmp_path / "vote.txt"
    article.write_text(
        "date 2022-02-17\nShares of Globex fell sharply on Monday. The Senate will vote on the rescue bill on Friday.\n",
        encoding="utf-8",
    )
    assert main(["analyze", str(article)]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "event:" in line]
    assert lines == ["  event: Senate vote on the rescue bill (February 18, 2022; upcoming)"]
    _, [record], _ = analyze_json(capsys, str(article))
    words = {record["text"][e["trigger"]["start"] : e["trigger"]["end"]]: e["notable"] for e in record["events"]}
    assert words == {"fell": False, "vote": True}
