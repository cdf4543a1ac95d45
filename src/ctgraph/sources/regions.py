"""The countries of the regions that UN M49 defines, read from `country_converter`.

`ctgraph ingest regions` reads the M49 sub-region of every country or area from the
data file the `country_converter` package ships (`country_data.tsv`, its `UNregion`
column) and writes `data/regions/m49_regions.csv`: for each project-matrix region
that `data/regions/aliases/m49_areas.csv` maps to an M49 area, the area's countries
and the package version they were read with. The table is reviewed and committed
like any other; the build reads it and never needs the package. The file is read
with the csv module rather than the package's pandas API, which breaks between
pandas releases; the data are the same.

Regions M49 does not define (the Sahel, the Maghreb, ...) are curated by hand in
`data/regions/non_m49.csv`, each row citing its published definition.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

import pycountry

from ctgraph.exports import atomic_write
from ctgraph.sources.tables import Record, SourceError, read_table

PACKAGE = "country_converter"
DATA_FILE = "country_data.tsv"
#: the alias table mapping region ids to M49 areas, and the table the ingest writes
AREAS_TABLE = "m49_areas.csv"
TABLE = "m49_regions.csv"
COLUMNS = ("region", "m49", "m49_name", "countries", "read_with")

#: M49 sub-regions (as `country_converter` spells them in UNregion) by code
SUBREGIONS = {
    "005": "South America",
    "011": "Western Africa",
    "013": "Central America",
    "014": "Eastern Africa",
    "015": "Northern Africa",
    "017": "Middle Africa",
    "018": "Southern Africa",
    "021": "Northern America",
    "029": "Caribbean",
    "030": "Eastern Asia",
    "034": "Southern Asia",
    "035": "South-eastern Asia",
    "039": "Southern Europe",
    "053": "Australia and New Zealand",
    "054": "Melanesia",
    "057": "Micronesia",
    "061": "Polynesia",
    "143": "Central Asia",
    "145": "Western Asia",
    "151": "Eastern Europe",
    "154": "Northern Europe",
    "155": "Western Europe",
}
#: M49 regions and intermediate regions, as the sub-regions M49 groups in them
GROUPS = {
    "002": ("Africa", ("015", "014", "017", "018", "011")),
    "142": ("Asia", ("143", "030", "035", "034", "145")),
    "150": ("Europe", ("151", "154", "039", "155")),
    "419": ("Latin America and the Caribbean", ("029", "013", "005")),
}


@dataclass(frozen=True)
class Area:
    """One M49 area: its code, its name and its countries or areas (alpha-3)."""

    code: str
    name: str
    countries: tuple[str, ...]


def package_version() -> str:
    """`country_converter <version>`, or an error saying how to install it."""
    try:
        return f"{PACKAGE} {metadata.version(PACKAGE)}"
    except metadata.PackageNotFoundError:
        raise SourceError(
            Path(PACKAGE),
            None,
            "package not installed: pip install 'ctgraph[regions]' "
            "(only this ingest needs it; the build reads the committed table)",
        ) from None


def read_package_rows() -> list[dict[str, str]]:
    """The rows of the package's country table, as shipped."""
    package_version()
    text = resources.files(PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))


def m49_areas(rows: list[dict[str, str]]) -> dict[str, Area]:
    """Every M49 area in SUBREGIONS and GROUPS with its current countries or areas:
    rows marked obsolete and codes ISO 3166-1 does not assign (Kosovo's XKX) are
    left out."""
    by_subregion: dict[str, set[str]] = {name: set() for name in SUBREGIONS.values()}
    for row in rows:
        code = row["ISO3"]
        if row.get("obsolete") or pycountry.countries.get(alpha_3=code) is None:
            continue
        if row["UNregion"] in by_subregion:
            by_subregion[row["UNregion"]].add(code)
    areas = {
        code: Area(code, name, tuple(sorted(by_subregion[name])))
        for code, name in SUBREGIONS.items()
    }
    for code, (name, parts) in GROUPS.items():
        members = {c for part in parts for c in areas[part].countries}
        areas[code] = Area(code, name, tuple(sorted(members)))
    return areas


def region_table(
    mapping: list[Record], areas: dict[str, Area], read_with: str
) -> bytes:
    """The m49_regions table: one row per mapped region, in region order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for record in sorted(mapping, key=lambda r: r.get("region")):
        code = record.get("m49")
        if code not in areas:
            raise record.fail(
                f"column 'm49': {code!r} is not an M49 area this ingest knows; "
                "known: " + ", ".join(sorted(areas))
            )
        area = areas[code]
        countries = ";".join(c.lower() for c in area.countries)
        writer.writerow((record.get("region"), code, area.name, countries, read_with))
    return out.getvalue().encode("utf-8")


def ingest(aliases_dir: Path, out_dir: Path) -> tuple[Path, int]:
    """Write `out_dir/m49_regions.csv` atomically from the package's data and the
    region -> M49 mapping in `aliases_dir`; return its path and row count."""
    mapping = read_table(aliases_dir / AREAS_TABLE)
    read_with = package_version()
    payload = region_table(mapping, m49_areas(read_package_rows()), read_with)
    target = out_dir / TABLE
    atomic_write(target, payload)
    return target, len(mapping)
