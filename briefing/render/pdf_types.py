"""What the PDF renderer is asked for: the kind of PDF and the files it embeds (no WeasyPrint import)."""

from __future__ import annotations

from dataclasses import dataclass

VARIANTS = ("pdf/a-3b", "pdf/a-3a", "pdf/ua-1", "pdf/a-3a+ua-1", "none")
"""The kinds of PDF ``report.pdf_variant`` names: archival PDF/A-3b, tagged PDF/A-3a, accessible
PDF/UA-1, tagged PDF/A-3a declared PDF/UA-1 too, or a plain PDF."""


@dataclass(frozen=True, slots=True)
class PdfAttachment:
    """A file embedded in the PDF (PDF/A-3 keeps it as the document's associated data)."""

    name: str
    data: bytes
    description: str = ""


@dataclass(frozen=True, slots=True)
class PdfOptions:
    """What kind of PDF to make and what to embed in it."""

    variant: str = "none"
    attachments: tuple[PdfAttachment, ...] = ()

    def __post_init__(self) -> None:
        if self.variant not in VARIANTS:
            raise ValueError(f"unknown PDF variant {self.variant!r}; known: {', '.join(VARIANTS)}")
