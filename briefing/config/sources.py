"""``[sources.NAME]``: who publishes what, and how far the team trusts them.

Each source names the rules that recognise its articles (a web domain, a folder
the files arrive in, the ``Source:`` value an article gives) and a grade: a letter
of the Admiralty scale (A completely reliable ... E unreliable, F cannot be judged)
or the team's own words. Briefings show the grade beside each citation
(:mod:`briefing.render.reliability`).
"""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from briefing.config.sections import Section

ADMIRALTY: dict[str, str] = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
"""The Admiralty (NATO) scale of source reliability, by letter."""

LOW_GRADES = frozenset({"D", "E", "F"})
"""Admiralty letters whose sources alone do not carry a point: it is marked as resting on them."""


class SourceSettings(Section):
    """One source: the rules that recognise its articles, and its grade."""

    domains: list[str] = Field(default_factory=list)
    """Web domains of its articles' addresses (``reuters.com`` also matches ``www.reuters.com``)."""

    folders: list[str] = Field(default_factory=list)
    """Folders its files arrive in, relative to the seeds folder or any folder above the file (``wires/reuters``)."""

    names: list[str] = Field(default_factory=list)
    """Values of an article's ``Source:`` field (publisher) that mean this source, compared without case."""

    grade: str = Field(min_length=1, max_length=40)
    """Reliability: an Admiralty letter A-F (A completely reliable ... E unreliable, F cannot be judged) or the team's own words."""

    low: bool | None = None
    """Whether this grade is low (a point only it carries is marked); unset: true for D, E and F, false otherwise."""

    @field_validator("domains", "folders", "names")
    @classmethod
    def _no_blank_rules(cls, values: list[str]) -> list[str]:
        cleaned = [value.strip() for value in values]
        if any(not value or "\n" in value for value in cleaned):
            raise ValueError("rules must be non-empty single-line values")
        return cleaned

    @field_validator("grade")
    @classmethod
    def _clean_grade(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("a grade must not be blank")
        return value.upper() if value.upper() in ADMIRALTY else value

    @model_validator(mode="after")
    def _some_rule(self) -> SourceSettings:
        if not (self.domains or self.folders or self.names):
            raise ValueError("a source needs at least one rule: domains, folders or names")
        return self

    @property
    def is_low(self) -> bool:
        """Whether a point resting on this source alone is marked."""
        return self.low if self.low is not None else self.grade in LOW_GRADES

    @property
    def meaning(self) -> str:
        """What the grade says in words: the Admiralty description, or the team's own words."""
        return ADMIRALTY.get(self.grade, self.grade)
