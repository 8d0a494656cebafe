"""The PDF renderer's time and memory limits: a failure is recorded and shown, the HTML is kept, work goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.cli import main
from briefing.config import ReportSettings, Settings
from briefing.pipeline import generate_briefing
from briefing.render import render_briefing
from briefing.store import Store
from tests.briefings import make_briefing
from tests.conftest import SEED


def test_time_limit_keeps_the_html_and_says_why(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    earlier = render_briefing(make_briefing(stories=1), reports)  # a good briefing first: latest.pdf exists
    assert earlier.pdf_path and (reports / "latest.pdf").exists()

    huge = make_briefing(stories=400, points=5)
    rendered = render_briefing(huge, reports, settings=ReportSettings(pdf_timeout_seconds=0.5, max_stories=400))
    assert set(rendered.files) == {".html"} and set(rendered.errors) == {".pdf"}
    assert "time limit" in rendered.errors[".pdf"] and "pdf_timeout_seconds" in rendered.errors[".pdf"]
    html = rendered.html_path.read_text(encoding="utf-8")  # type: ignore[union-attr]
    assert "The PDF of this briefing could not be made: stopped after 0.5 s" in html
    assert "Harbour plan number 400" in html  # the whole briefing is there
    assert (reports / "latest.html").read_bytes() == rendered.html_path.read_bytes()  # type: ignore[union-attr]
    assert not (reports / "latest.pdf").exists()  # never a PDF of an older briefing under "latest"
    assert not rendered.html_path.with_suffix(".pdf").exists()  # type: ignore[union-attr]

    after = render_briefing(make_briefing(stories=1), reports)  # the same process carries on
    assert not after.errors and (reports / "latest.pdf").read_bytes() == after.pdf_path.read_bytes()  # type: ignore[union-attr]


def test_memory_limit_is_a_plain_reason(tmp_path: Path) -> None:
    rendered = render_briefing(make_briefing(stories=2), tmp_path, settings=ReportSettings(pdf_memory_mb=64))
    assert "memory" in rendered.errors[".pdf"] and "pdf_memory_mb" in rendered.errors[".pdf"]
    assert rendered.html_path and rendered.html_path.exists()


def test_failed_pdf_is_recorded_in_the_store_index_and_command(
    in_project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (in_project / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    monkeypatch.setenv("BRIEFING_REPORT__PDF_MEMORY_MB", "64")
    assert main(["generate"]) == 1
    captured = capsys.readouterr()
    assert "PDF not written" in captured.err and "memory" in captured.err
    assert ".html" in captured.out  # the HTML was written and named
    index = (in_project / "reports" / "index.html").read_text(encoding="utf-8")
    assert "PDF failed" in index and "memory" in index
    with Store(in_project / ".briefing" / "state.db") as store:
        [record] = store.briefings()
    assert record.html_path and not record.pdf_path and "memory" in (record.error or "")


def test_settings_reach_the_renderer(settings: Settings, seed_copy: Path) -> None:
    from briefing.pipeline import ingest_folder

    ingest_folder(settings)
    settings = settings.model_copy(update={"report": ReportSettings(title="Morning notes", page_size="Letter")})
    result = generate_briefing(settings)
    html = result.rendered.html_path.read_text(encoding="utf-8")  # type: ignore[union-attr]
    assert "Morning notes" in html and "size: Letter" in html
