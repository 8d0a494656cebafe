"""Archival and accessible PDFs: PDF/A-3b identification, output intent, embedded fonts, the attached
analysis, and the tagged structure tree read back (headings in order, tables with TH, figures with Alt)."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from briefing.config import ReportSettings, Settings, SourceSettings
from briefing.pipeline import generate_briefing, ingest_folder
from briefing.render import render_briefing
from tests.briefings import rich_briefing

MARKED = ReportSettings(marking="TLP:AMBER", organisation="Policy Unit")
ANALYSES = [{"id": "0" * 63 + "1", "title": "Harbour plan", "key_points": [{"text": "A point.", "start": 0, "end": 8}]}]


def xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def fonts(reader: PdfReader) -> list[DictionaryObject]:
    found: dict[int, DictionaryObject] = {}
    for page in reader.pages:
        resources = page.get("/Resources", {}).get_object()
        for ref in resources.get("/Font", {}).get_object().values():
            font = ref.get_object()
            found[id(font)] = font
    return list(found.values())


def embedded(font: DictionaryObject) -> bool:
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font["/FontDescriptor"].get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def check_pdfa(path: Path, conformance: str = "B") -> dict[str, Any]:
    """What a PDF/A validator would look at first, read with pypdf; the attached analysis."""
    reader = PdfReader(path)
    meta = xmp(reader)
    assert re.search(r'pdfaid:part="3"', meta) and f'pdfaid:conformance="{conformance}"' in meta
    [intent] = reader.trailer["/Root"]["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intent
    assert intent["/DestOutputProfile"].get_object().get_data()[36:40] == b"acsp"  # an ICC profile
    assert fonts(reader) and all(embedded(f) for f in fonts(reader))
    assert reader.pdf_header.startswith("%PDF-1.7")
    [data] = reader.attachments["briefing-analysis.json"]
    root = reader.trailer["/Root"]
    [spec] = root["/AF"]
    assert spec.get_object()["/AFRelationship"] == "/Data"
    document: dict[str, Any] = json.loads(data)
    return document


def test_pdfa_3b_by_default_with_metadata_and_the_analysis_attached(tmp_path: Path) -> None:
    rendered = render_briefing(rich_briefing(), tmp_path, settings=MARKED, analyses=ANALYSES)
    assert not rendered.errors and rendered.pdf_path
    document = check_pdfa(rendered.pdf_path)
    assert document["format"] == "briefing-analysis/1" and document["marking"] == "TLP:AMBER"
    assert document["articles"] == ANALYSES
    assert document["briefing"]["stories"][0]["title"] == "Harbour plan number 1 goes to a council vote"
    assert document["briefing"]["created_at"].startswith("2022-02-21T07:00")

    reader = PdfReader(rendered.pdf_path)
    meta = xmp(reader)
    assert "Intelligence briefing" in meta and "Policy Unit" in meta and "TLP:AMBER" in meta
    assert "<xmp:CreateDate>2022-02-21T07:00:00" in meta
    info = reader.metadata
    assert info is not None and info["/Keywords"] == "TLP:AMBER" and "TLP:AMBER" in info["/Subject"]
    assert info["/Author"] == "Policy Unit"
    assert "/StructTreeRoot" not in reader.trailer["/Root"]  # PDF/A-3b is not tagged: cheaper


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
def test_pdfinfo_reads_the_archival_pdf(tmp_path: Path) -> None:
    rendered = render_briefing(rich_briefing(), tmp_path, settings=MARKED)
    info = subprocess.run(["pdfinfo", str(rendered.pdf_path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Keywords:\s+TLP:AMBER$", info, re.M) and re.search(r"^Author:\s+Policy Unit$", info, re.M)
    assert re.search(r"^PDF version:\s+1\.7$", info, re.M)


def walk(element: Any, found: list[DictionaryObject], depth: int = 0) -> None:
    """Every structure element under ``element``, in reading order."""
    element = element.get_object()
    if isinstance(element, DictionaryObject) and element.get("/Type") == "/StructElem":
        found.append(element)
    kids = element.get("/K") if isinstance(element, DictionaryObject) else None
    if kids is None:
        return
    for kid in kids if isinstance(kids, ArrayObject) else [kids]:
        if isinstance(kid, IndirectObject | DictionaryObject):
            walk(kid, found, depth + 1)


def test_tagged_pdf_structure_tree_has_ordered_headings_table_headers_and_chart_alternatives(tmp_path: Path) -> None:
    settings = ReportSettings(marking="TLP:AMBER", pdf_variant="pdf/a-3a+ua-1")
    rendered = render_briefing(rich_briefing(), tmp_path, settings=settings)
    assert not rendered.errors and rendered.pdf_path
    check_pdfa(rendered.pdf_path, conformance="A")
    reader = PdfReader(rendered.pdf_path)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en" and root["/MarkInfo"]["/Marked"]
    assert 'pdfuaid:part="1"' in xmp(reader) and "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in xmp(reader)

    elements: list[DictionaryObject] = []
    walk(root["/StructTreeRoot"], elements)
    kinds = [str(e["/S"]) for e in elements]
    headings = [int(k[2]) for k in kinds if re.fullmatch(r"/H[1-6]", k)]
    assert headings[0] == 1 and headings.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(headings)), headings  # no level skipped

    tables = [e for e in elements if e["/S"] == "/Table"]
    assert len(tables) >= 3  # upcoming, past, actors, not included
    for table in tables:
        cells: list[DictionaryObject] = []
        walk(table, cells)
        headers = [c for c in cells if c["/S"] == "/TH"]
        data = [c for c in cells if c["/S"] == "/TD"]
        assert headers and data
        assert all(len(c["/A"]["/Headers"]) >= 1 for c in data)  # every cell names its column header

    alts = [str(e["/Alt"]) for e in elements if e["/S"] == "/Figure"]
    timeline = next(a for a in alts if a.startswith("Timeline:"))
    assert "upcoming events, next on 28 Feb 2022, Public hearing on the harbour" in timeline
    assert "1 past event, latest on 14 Feb 2022, Harbour plan announced" in timeline
    assert any(
        a.startswith("Who meets whom: 3 actors") and "most connected: City Council (5 links), Anna Berg" in a
        for a in alts
    ), alts

    # The running header, footer (with the marking) and page numbers are artifacts, out of the tree.
    # Every marked-content id on a page belongs to an element of the tree; the margins' text is not
    # marked with ids at all but as artifacts (WeasyPrint alone leaves it with ids outside the tree).
    in_tree = {
        k for e in elements for k in (e["/K"] if isinstance(e["/K"], ArrayObject) else [e["/K"]]) if isinstance(k, int)
    }
    for number, page in enumerate(reader.pages):
        content = page.get_contents().get_data()  # type: ignore[union-attr]
        ids = {int(m) for m in re.findall(rb"/MCID (\d+)", content)}
        page_elements = {
            int(k)
            for e in elements
            if e.get("/Pg") == page.indirect_reference
            for k in (e["/K"] if isinstance(e["/K"], ArrayObject) else [e["/K"]])
            if isinstance(k, int)
        }
        assert ids <= page_elements, (number, sorted(ids - page_elements))
        assert content.count(b"/Artifact") >= 4  # the header and footer boxes, the marking twice, the page number
    assert in_tree


def test_plain_pdf_when_asked(tmp_path: Path) -> None:
    rendered = render_briefing(rich_briefing(), tmp_path, settings=ReportSettings(pdf_variant="none"))
    reader = PdfReader(rendered.pdf_path)  # type: ignore[arg-type]
    root = reader.trailer["/Root"]
    assert "/OutputIntents" not in root and "/StructTreeRoot" not in root
    assert "pdfaid" not in (xmp(reader) if "/Metadata" in root else "")


def test_pdf_ua_alone_is_tagged(tmp_path: Path) -> None:
    rendered = render_briefing(rich_briefing(), tmp_path, settings=ReportSettings(pdf_variant="pdf/ua-1"))
    reader = PdfReader(rendered.pdf_path)  # type: ignore[arg-type]
    assert 'pdfuaid:part="1"' in xmp(reader) and "pdfaid" not in xmp(reader)
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_the_seed_briefing_attaches_its_articles_analyze_json(settings: Settings, seed_copy: Path) -> None:
    ingest_folder(settings)
    settings = settings.model_copy(
        update={
            "report": ReportSettings(marking="TLP:GREEN"),
            "sources": {"desk": SourceSettings(folders=["seeds"], grade="C")},
        }
    )
    result = generate_briefing(settings)
    assert result.rendered.pdf_path
    document = check_pdfa(result.rendered.pdf_path)
    [article] = document["articles"]
    assert article["text"].startswith("Turkish President") and article["key_points"]
    for point in article["key_points"]:  # the contract's own offsets, into the article's own text
        assert article["text"][point["start"] : point["end"]] == point["text"]
    assert {s["article_id"] for s in document["briefing"]["sources"]} == {article["id"]}
    html = result.rendered.html_path.read_text(encoding="utf-8")  # type: ignore[union-attr]
    assert 'class="grade" title="graded C: fairly reliable">C</span>' in html
