"""Source reliability: which configured source an article comes from, its grade, and corroboration.

``[sources.NAME]`` settings (:class:`~briefing.config.SourceSettings`) recognise
articles by web domain, by the folder their file arrived in, or by their
``Source:`` value; the first source (in the file's order) whose rules match
grades the article. A story counts its independent sources: articles of one
graded source, or of one publisher, or from one web domain count once. A point
resting on a single low-graded source, with no other independent source in its
story, is marked as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import urlsplit

from briefing.config import SourceSettings
from briefing.model import SourceRef


@dataclass(frozen=True, slots=True)
class Grade:
    """How far the team trusts the source an article comes from."""

    source: str
    """The configured source's name (``[sources.NAME]``)."""
    grade: str
    """An Admiralty letter (A-F) or the team's own words."""
    meaning: str
    """The grade in words ("usually reliable", or the team's words again)."""
    low: bool
    """A point resting on this source alone is marked."""

    @property
    def label(self) -> str:
        """What a citation shows: ``B`` (a letter), or the team's words."""
        return self.grade


def match_source(ref: SourceRef, sources: Mapping[str, SourceSettings]) -> tuple[str, SourceSettings] | None:
    """The first configured source whose rules recognise ``ref``, or None."""
    host = _host(ref.url)
    publisher = (ref.publisher or "").casefold().strip()
    folders = [PurePath(path).parent for path in ref.files]
    for name, source in sources.items():
        if host and any(
            host == d.casefold().strip(".") or host.endswith("." + d.casefold().strip(".")) for d in source.domains
        ):
            return name, source
        if publisher and any(publisher == n.casefold() for n in source.names):
            return name, source
        if any(_in_folder(folder, rule) for folder in folders for rule in source.folders):
            return name, source
    return None


def grade_sources(refs: Iterable[SourceRef], sources: Mapping[str, SourceSettings]) -> dict[str, Grade]:
    """Each graded article's grade, by article id (articles no source recognises are left out)."""
    grades: dict[str, Grade] = {}
    if not sources:
        return grades
    for ref in refs:
        found = match_source(ref, sources)
        if found is not None:
            name, source = found
            grades[ref.article_id] = Grade(name, source.grade, source.meaning, source.is_low)
    return grades


def source_key(ref: SourceRef, grades: Mapping[str, Grade]) -> str:
    """What makes two articles the same source: the graded source, else the publisher, else the web domain."""
    grade = grades.get(ref.article_id)
    if grade is not None:
        return f"source:{grade.source}"
    if ref.publisher and ref.publisher.strip():
        return f"publisher:{ref.publisher.casefold().strip()}"
    host = _host(ref.url)
    if host:
        return f"domain:{host.removeprefix('www.')}"
    return f"article:{ref.article_id}"


def independent_sources(article_ids: Iterable[str], refs: Mapping[str, SourceRef], grades: Mapping[str, Grade]) -> int:
    """How many independent sources report the articles ``article_ids`` (at least one per known article)."""
    return len({source_key(refs[a], grades) for a in article_ids if a in refs})


def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        return (urlsplit(url.strip()).hostname or "").casefold().strip(".")
    except ValueError:
        return ""


def _in_folder(folder: PurePath, rule: str) -> bool:
    """Whether ``folder`` is, or ends with, the folder ``rule`` names (``wires/reuters`` matches ``seeds/wires/reuters``)."""
    wanted = tuple(part.casefold() for part in PurePath(rule.strip("/")).parts)
    have = tuple(part.casefold() for part in folder.parts)
    return bool(wanted) and any(have[i : i + len(wanted)] == wanted for i in range(len(have) - len(wanted) + 1))
