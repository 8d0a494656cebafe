"""A handling marking and source grades, seen where a reader sees them: the HTML, the PDF's text, the digest."""

from __future__ import annotations

import dataclasses
import datetime as dt
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.config import ConfigError, ReportSettings, Settings, SourceSettings, load_settings
from briefing.deliver.digest import DigestOptions, build_digest
from briefing.model import Briefing, SourceRef
from briefing.render import render_briefing, render_html
from briefing.render.reliability import grade_sources, independent_sources, match_source
from tests.briefings import article_id, make_briefing

NOW = dt.datetime(2022, 2, 21, 8, 0, tzinfo=dt.UTC)
SOURCES = {
    "wire": SourceSettings(domains=["wire.example.com"], grade="B"),
    "tips": SourceSettings(folders=["inbox/tips"], grade="E"),
    "partner": SourceSettings(names=["Harbour Partner Desk"], grade="trusted partner"),
}


def graded_briefing() -> Briefing:
    """Story 1: two articles (wire and tips), story 2: tips alone, story 3: the partner alone."""
    base = make_briefing(stories=3)
    s1, s2, s3 = base.sources
    wire = dataclasses.replace(s1, url="https://www.wire.example.com/harbour", publisher="Wire")
    extra = SourceRef(article_id(9), "Tip on harbour plan 1", s1.date, False, ("seeds/inbox/tips/t1.txt",), None, None)
    tips = dataclasses.replace(s2, url=None, publisher=None, files=("seeds/inbox/tips/t2.txt",))
    partner = dataclasses.replace(s3, url=None, publisher="harbour partner desk")
    first = dataclasses.replace(base.stories[0], article_ids=(s1.article_id, extra.article_id))
    return dataclasses.replace(base, sources=(wire, tips, partner, extra), stories=(first, *base.stories[1:]))


def test_sources_match_by_domain_folder_and_source_value() -> None:
    briefing = graded_briefing()
    wire, tips, partner, extra = briefing.sources
    assert match_source(wire, SOURCES) == ("wire", SOURCES["wire"])  # www. is a subdomain
    assert match_source(tips, SOURCES) == ("tips", SOURCES["tips"])
    assert match_source(extra, SOURCES) == ("tips", SOURCES["tips"])
    assert match_source(partner, SOURCES) == ("partner", SOURCES["partner"])  # without case
    other = dataclasses.replace(wire, url="https://notwire.example.com/x", publisher=None, files=("tips/x.txt",))
    assert match_source(other, SOURCES) is None  # a lookalike domain, a folder named only in part
    grades = grade_sources(briefing.sources, SOURCES)
    assert grades[tips.article_id].low and not grades[wire.article_id].low and not grades[partner.article_id].low
    refs = {r.article_id: r for r in briefing.sources}
    assert independent_sources([wire.article_id, extra.article_id], refs, grades) == 2
    assert independent_sources([tips.article_id, extra.article_id], refs, grades) == 1  # one source, twice


def test_a_source_needs_a_rule_and_a_grade(tmp_path: Path) -> None:
    config = tmp_path / "briefing.toml"
    config.write_text('[sources.empty]\ngrade = "A"\n\n[sources.nograde]\ndomains = ["x.org"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert "at least one rule" in str(caught.value) and "grade" in str(caught.value)
    config.write_text('[sources.wire]\ndomains = ["x.org"]\ngrade = "b"\n', encoding="utf-8")
    assert load_settings(config).sources["wire"].grade == "B"


def test_marking_and_grades_in_the_html_and_on_every_pdf_page(tmp_path: Path) -> None:
    settings = ReportSettings(marking="TLP:AMBER")
    rendered = render_briefing(graded_briefing(), tmp_path, settings=settings, sources=SOURCES)
    assert not rendered.errors
    html = rendered.html_path.read_text(encoding="utf-8")  # type: ignore[union-attr]
    assert html.count('<p class="marking') == 2  # top and bottom of the page
    assert '<meta name="keywords" content="TLP:AMBER">' in html
    assert '@top-center { content: "TLP:AMBER"' in html and '@bottom-center { content: "TLP:AMBER"' in html
    assert 'title="graded B: usually reliable">B</span>' in html
    assert 'class="grade low" title="graded E: unreliable">E</span>' in html
    assert ">trusted partner</span>" in html
    assert "reported by 2 independent sources" in html and "reported by 1 independent source<" in html
    assert html.count("(one low-graded source only)") == 3 + 1  # story 2's three points, and its bottom-line point

    reader = PdfReader(rendered.pdf_path)  # type: ignore[arg-type]
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 2
    for text in pages:
        assert text.count("TLP:AMBER") >= 2, text[:200]  # the running header and footer of every page
    whole = "\n".join(pages)
    assert "one low-graded source only" in whole and "Graded E: unreliable" in whole
    assert "reported by 2 independent sources" in whole


def test_a_hostile_marking_stays_text(tmp_path: Path) -> None:
    marking = 'SECRET"; } body { display: none } </style><script>alert(1)</script>'
    html, _ = render_html(make_briefing(stories=1), settings=ReportSettings(marking=marking))
    assert "<script>" not in html and "</style><" not in html
    assert 'content: "SECRET\\000022; \\00007d body' in html  # the page margins' CSS string, escaped
    assert "SECRET&#34;; } body { display: none } &lt;/style&gt;" in html  # the banner, escaped
    rendered = render_briefing(make_briefing(stories=1), tmp_path, settings=ReportSettings(marking=marking))
    text = PdfReader(rendered.pdf_path).pages[0].extract_text()  # type: ignore[arg-type]
    assert 'SECRET"; } body { display: none }' in text


def test_digest_subject_and_body_carry_the_marking_and_grades() -> None:
    options = DigestOptions(sender="briefing@example.org", marking="TLP:AMBER", sources=SOURCES)
    briefing = graded_briefing()
    briefing = dataclasses.replace(
        briefing, stories=tuple(dataclasses.replace(s, is_new=True) for s in briefing.stories)
    )
    digest = build_digest(briefing, None, options, NOW)
    assert digest.subject.startswith("[TLP:AMBER] Briefing 2022-02-21:")
    message = BytesParser(policy=policy.default).parsebytes(digest.message.as_bytes())
    assert message["Subject"] == digest.subject
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    lines = text.strip().splitlines()
    assert lines[0] == "TLP:AMBER" and lines[-1] == "TLP:AMBER"
    assert "[graded B]" in text and "[graded trusted partner]" in text
    assert "[graded E, one low-graded source only]" in " ".join(text.split())  # however the line wraps
    assert "reported by 2 independent sources" in text
    assert html.count('class="marking">TLP:AMBER</td>') == 2
    assert 'title="graded E: unreliable"' in html and "(one low-graded source only)" in html


def test_no_marking_and_no_grades_leave_the_briefing_as_it_was(tmp_path: Path) -> None:
    html, _ = render_html(make_briefing(stories=2), settings=ReportSettings())
    assert 'class="marking' not in html and "@top-center" not in html and 'class="grade' not in html
    digest = build_digest(make_briefing(stories=2), None, DigestOptions(sender="b@example.org"), NOW)
    assert not digest.subject.startswith("[")


def test_settings_reach_the_briefing_and_digest(settings: Settings) -> None:
    assert settings.report.marking is None and settings.sources == {}
