"""Last touches to the PDF objects WeasyPrint made, before they are written (its ``finisher`` hook).

Runs in the renderer child, on pydyf objects: no WeasyPrint import needed here.

- :func:`list_attachments_once`: WeasyPrint 70 names a PDF/A-3 attachment twice in ``/AF``.
- :func:`margins_as_artifacts`: in a tagged PDF, WeasyPrint gives the page margins' text (the
  running header, the marking, the page numbers) marked-content ids whose structure elements it
  leaves out of the tree; a screen reader or a PDF/UA checker then meets content that is neither
  in the structure nor an artifact. Those sequences become ``/Artifact`` ones.
- :func:`declare_ua`: the PDF/UA-1 identification, with the PDF/A extension schema that declares
  it, added to the XMP metadata written for PDF/A.
"""

from __future__ import annotations

from typing import Any

_UA_DECLARATION = b"""<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
 xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#" pdfuaid:part="1">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA identification</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>"""


def _get(pdf: Any, reference: Any) -> Any:
    """The object a reference (``b"12 0 R"``) names."""
    return pdf.objects[int(bytes(reference).split()[0])]


def list_attachments_once(pdf: Any) -> None:
    """Each attachment once in the catalog's ``/AF``."""
    if "AF" in pdf.catalog:
        unique = list(dict.fromkeys(pdf.catalog["AF"]))
        pdf.catalog["AF"].clear()
        pdf.catalog["AF"].extend(unique)


def declare_ua(pdf: Any) -> None:
    """Add ``pdfuaid:part="1"`` (and its extension schema) to the XMP metadata stream."""
    stream = _get(pdf, pdf.catalog["Metadata"])
    content = b"".join(part if isinstance(part, bytes) else str(part).encode() for part in stream.stream)
    stream.stream = [content.replace(b"</rdf:RDF>", _UA_DECLARATION + b"</rdf:RDF>", 1)]


def margins_as_artifacts(pdf: Any) -> int:
    """Turn marked content whose structure element is not in the tree into artifacts; how many sequences."""
    if "StructTreeRoot" not in pdf.catalog:
        return 0
    root = _get(pdf, pdf.catalog["StructTreeRoot"])
    in_tree: set[bytes] = set()
    pending = list(root["K"])
    while pending:
        kid = pending.pop()
        if not isinstance(kid, bytes) or kid in in_tree:
            continue  # a marked-content id (int) or a reference already seen
        in_tree.add(kid)
        element = _get(pdf, kid)
        kids = element.get("K") if isinstance(element, dict) else None
        if isinstance(kids, list):
            pending.extend(kids)
    nums = _get(pdf, root["ParentTree"])["Nums"]
    changed = 0
    for page_index, refs in zip(nums[0::2], nums[1::2], strict=True):
        if not isinstance(refs, list) or page_index >= len(pdf.page_references):
            continue  # an annotation's entry, not a page's
        orphans = {mcid for mcid, ref in enumerate(refs) if bytes(ref) not in in_tree}
        if orphans:
            page = _get(pdf, pdf.page_references[page_index])
            changed += _artifacts(_get(pdf, page["Contents"]).stream, orphans)
    return changed


def _artifacts(ops: list[Any], orphans: set[int]) -> int:
    """Rewrite ``/Tag <</MCID n>> BDC`` as ``/Artifact BMC`` for each ``n`` in ``orphans``, in place."""
    changed = 0
    for i in range(len(ops) - 2, 0, -1):
        item = ops[i]
        if isinstance(item, dict) and item.get("MCID") in orphans and ops[i + 1] == b"BDC":
            ops[i - 1 : i + 2] = ["/Artifact", b"BMC"]
            changed += 1
    return changed
