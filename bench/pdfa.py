"""What a PDF/A validator checks first, read with pypdf (veraPDF is not packaged for Debian or PyPI).

    .venv/bin/python -m bench.pdfa FILE.pdf [FILE.pdf ...]

For each file: the PDF version, the XMP identification (``pdfaid:part`` and
``conformance``, ``pdfuaid:part``), the output intent and its ICC profile, whether
every font is embedded, the attachments (name, relationship, size) and, for a
tagged PDF, the structure tree's headings, tables and figures with their Alt text.
Exits 1 when a PDF/A file lacks one of the parts PDF/A requires.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


def check(path: Path) -> list[str]:
    """Print what the file holds; the PDF/A problems found."""
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    problems: list[str] = []
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8") if "/Metadata" in root else ""
    part = re.search(r'pdfaid:part="(\d)"', xmp)
    conformance = re.search(r'pdfaid:conformance="(\w)"', xmp)
    ua = re.search(r'pdfuaid:part="(\d)"', xmp)
    print(f"{path}: {reader.pdf_header}, {len(reader.pages)} pages, {path.stat().st_size // 1024} KiB")
    pdfa = f"PDF/A-{part.group(1)}{conformance.group(1).lower()}" if part and conformance else "none"
    print(f"  XMP identification: {pdfa}; PDF/UA: {'PDF/UA-' + ua.group(1) if ua else 'none'}")
    for tag in ("dc:title", "dc:creator", "xmp:CreateDate", "pdf:Keywords"):
        found = re.search(rf"<{tag}>(.*?)</{tag}>", xmp, re.S)
        print(f"  {tag}: {re.sub(r'<[^>]+>', '', found.group(1)).strip() if found else '-'}")
    intents = root.get("/OutputIntents", [])
    for intent in intents:
        intent = intent.get_object()
        profile = intent["/DestOutputProfile"].get_object().get_data()
        icc = profile[36:40] == b"acsp"
        print(
            f"  output intent: {intent['/S']} {intent.get('/OutputConditionIdentifier')}, ICC profile {len(profile)} bytes{'' if icc else ' (NOT ICC)'}"
        )
        if not icc:
            problems.append("output intent without an ICC profile")
    fonts = _fonts(reader)
    missing = [name for name, embedded in fonts.items() if not embedded]
    print(
        f"  fonts: {len(fonts)}, embedded: {len(fonts) - len(missing)}{' missing: ' + ', '.join(missing) if missing else ''}"
    )
    for name, data in reader.attachments.items():
        spec = next((s.get_object() for s in root.get("/AF", []) if s.get_object().get("/F") == name), {})
        print(f"  attachment: {name}, {len(data[0]) // 1024} KiB, AFRelationship {spec.get('/AFRelationship', '-')}")
        if name.endswith(".json"):
            document: dict[str, Any] = json.loads(data[0])
            print(
                f"    format {document.get('format')}, {len(document.get('articles', []))} articles, marking {document.get('marking')}"
            )
    if "/StructTreeRoot" in root:
        elements: list[DictionaryObject] = []
        _walk(root["/StructTreeRoot"], elements)
        kinds = Counter(str(e["/S"]) for e in elements)
        alts = [str(e["/Alt"]) for e in elements if e["/S"] == "/Figure" and "/Alt" in e]
        print(
            f"  tagged: lang {root.get('/Lang')}; "
            + ", ".join(f"{k[1:]} {kinds[k]}" for k in ("/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/Figure"))
        )
        for alt in alts:
            print(f"    figure alt: {alt[:160]}")
    if part:
        if not intents:
            problems.append("no output intent")
        if missing:
            problems.append(f"fonts not embedded: {missing}")
        if int(part.group(1)) >= 3 and reader.attachments and "/AF" not in root:
            problems.append("attachment not listed in /AF")
    for problem in problems:
        print(f"  PROBLEM: {problem}")
    return problems


def _fonts(reader: PdfReader) -> dict[str, bool]:
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        for ref in page.get("/Resources", {}).get_object().get("/Font", {}).get_object().values():
            font = ref.get_object()
            base = str(font.get("/BaseFont"))
            if font.get("/Subtype") == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            fonts[base] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


def _walk(element: Any, found: list[DictionaryObject]) -> None:
    element = element.get_object()
    if isinstance(element, DictionaryObject) and element.get("/Type") == "/StructElem":
        found.append(element)
    kids = element.get("/K") if isinstance(element, DictionaryObject) else None
    for kid in kids if isinstance(kids, ArrayObject) else [kids] if kids is not None else []:
        if isinstance(kid, IndirectObject | DictionaryObject):
            _walk(kid, found)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.pdfa", description=__doc__.split("\n\n")[0])
    parser.add_argument("pdfs", type=Path, nargs="+")
    args = parser.parse_args(argv)
    problems = [problem for path in args.pdfs for problem in check(path)]
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
