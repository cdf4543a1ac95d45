"""Draw a stored query's declared chart from its result, as SVG or PNG bytes.

matplotlib draws without a display or a network: the same rows give the same SVG
bytes, because element ids come from a fixed salt (`svg.hashsalt`), the date is left
out of the metadata, text is drawn as glyph paths from the bundled DejaVu Sans (no
font lookup on the viewer's side), and every ordering (categories, series, network
nodes) follows the rows or sorted names, never a hash. Every chart ends with a
caption naming the reports its rows come from.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import matplotlib
import numpy as np
import pyparsing
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from rdflib import Literal
from rdflib.term import Node

from ctgraph.queries.charts import ChartSpec
from ctgraph.queries.library import KnowledgeGraph, StoredQuery
from ctgraph.store.backends import ResultTable

FORMATS = ("svg", "png")
#: Okabe-Ito: told apart with every common form of colour blindness
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
    "#000000",
)  # fmt: skip
STYLE = {
    "svg.hashsalt": "ctgraph",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "legend.frameon": False,
    "text.parse_math": False,  # a '$' in a name is a dollar, not math
}
NOT_STATED = "not stated"
DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def plain_pyparsing() -> None:
    """Switch off the packrat cache matplotlib's math-text parser turns on for
    every pyparsing grammar in the process: with it on, rdflib's SPARQL parser
    overflows the stack on some stored queries (`search`). Charts draw no math."""
    pyparsing.ParserElement.disable_memoization()


plain_pyparsing()


class ChartError(ValueError):
    """A chart that cannot be drawn: no chart declared, no rows, bad values."""


@dataclass(frozen=True)
class Report:
    """A source report as a caption names it."""

    title: str
    date: str

    @property
    def short(self) -> str:
        """The title after its last colon (the report's kind), shortened."""
        name = self.title.rsplit(": ", 1)[-1]
        return textwrap.shorten(name, 60, placeholder="...")

    def cite(self) -> str:
        return f"{self.title} ({self.date})"


def report_names(kg: KnowledgeGraph) -> dict[str, Report]:
    """Every source report's title and date, by IRI, from `source-reports`."""
    table = kg.query("source-reports")
    out = {}
    for row in table.dicts():
        out[str(row["report"])] = Report(str(row["title"]), str(row["date"] or ""))
    return out


def chart_for(
    kg: KnowledgeGraph, name: str, fmt: str = "svg", /, **params: Any
) -> bytes:
    """Run a stored query and draw its chart: what `ctgraph chart` and the web
    pages call."""
    stored = kg.stored(name)
    if stored.chart is None:
        raise ChartError(f"query {name!r} declares no chart (no '#+ chart:' header)")
    return render(stored, kg.query(name, **params), fmt, report_names(kg))


def render(
    stored: StoredQuery,
    table: ResultTable,
    fmt: str = "svg",
    reports: Mapping[str, Report] | None = None,
) -> bytes:
    """The chart `stored` declares, drawn from `table`, as SVG or PNG bytes."""
    spec = stored.chart
    if spec is None:
        raise ChartError(f"query {stored.name!r} declares no chart")
    if fmt not in FORMATS:
        raise ChartError(f"chart format is svg or png, not {fmt!r}")
    missing = [c for c in spec.columns.values() if c not in table.columns]
    if missing:
        raise ChartError(f"the result has no column {', '.join(missing)}")
    rows = table.dicts()
    if not rows:
        raise ChartError(f"query {stored.name!r} returned no rows: nothing to draw")
    with matplotlib.rc_context(STYLE):
        fig = Figure()
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        draw = {
            "bar": draw_bar,
            "line": draw_line,
            "timeline": draw_timeline,
            "network": draw_network,
        }
        firsts = draw[spec.type](fig, ax, spec, rows)
        if firsts:
            tick_reports(ax, firsts, reports or {})
        title = spec.option("title", stored.summary)
        ax.set_title(title, loc="left", pad=22)
        add_caption(fig, ax, spec, rows, reports or {})
        buffer = io.BytesIO()
        if fmt == "svg":
            FigureCanvasSVG(fig)
            fig.savefig(
                buffer,
                format="svg",
                bbox_inches="tight",
                pad_inches=0.15,
                metadata={"Date": None, "Creator": "ctgraph", "Title": title},
            )
        else:
            fig.savefig(
                buffer,
                format="png",
                dpi=110,
                bbox_inches="tight",
                pad_inches=0.15,
                metadata={"Software": None},
            )
    plain_pyparsing()  # in case drawing imported the math-text parser late
    return buffer.getvalue()


# --- values ---------------------------------------------------------------------


def text(term: Node | None) -> str | None:
    return None if term is None else str(term)


def number(term: Node | None) -> float | None:
    if term is None:
        return None
    value = term.toPython() if isinstance(term, Literal) else term
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    try:
        return float(str(term))
    except ValueError:
        return None


def period(term: Node | None) -> tuple[dt.date, dt.date] | None:
    """First and last day of a date of any precision (2018, 2018-04, 2018-04-12)."""
    if term is None:
        return None
    match = DATE.match(str(term)[:10])
    if match is None:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if day is None:
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return dt.date(year, month, 1), following - dt.timedelta(days=1)
    day_date = dt.date(year, month, day)
    return day_date, day_date


def amount(value: float, _position: Any = None) -> str:
    """A number for an axis or a label: 11500000 -> 11.5M, 92615 -> 92.6k."""
    magnitude = abs(value)
    if magnitude >= 1e6:
        return f"{value / 1e6:.3g}M"
    if magnitude >= 1e4:
        return f"{value / 1e3:.3g}k"
    return f"{value:g}"


def ordered(values: Sequence[str | None]) -> list[str]:
    """Distinct values in order of first appearance (rows keep the query's order)."""
    seen: dict[str, None] = {}
    for value in values:
        seen.setdefault(value if value is not None else NOT_STATED, None)
    return list(seen)


def colours(names: Sequence[str]) -> dict[str, str]:
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def wrap(label: str, width: int) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


# --- chart types ----------------------------------------------------------------


def draw_bar(fig: Figure, ax: Any, spec: ChartSpec, rows: list[dict]) -> None:
    """Stacked or grouped bars; a `total` column adds each category's stated
    total beside the listed sum. The same (category, series, value) stated by
    several reports counts once."""
    xcol, ycol = spec.columns["x"], spec.columns["y"]
    scol, tcol = spec.column("series"), spec.column("total")
    values: dict[tuple[str, str], set[float]] = {}
    totals: dict[str, float] = {}
    kept = []
    for row in rows:
        y = number(row[ycol])
        if y is None or row[xcol] is None:
            continue
        kept.append(row)
        x = str(row[xcol])
        series = (text(row[scol]) or NOT_STATED) if scol else ycol
        values.setdefault((x, series), set()).add(y)
        stated = number(row[tcol]) if tcol else None
        if stated is not None:
            totals[x] = stated
    if not kept:
        raise ChartError(f"no row has a number in {ycol!r}")
    cats = ordered([str(r[xcol]) for r in kept])
    names = ordered([text(r[scol]) for r in kept]) if scol else [ycol]
    palette = colours(names)
    grouped = spec.option("mode", "stacked") == "grouped"
    horizontal = spec.option("orientation", "vertical") == "horizontal"
    width = 0.8 / len(names) if grouped else 0.7
    if horizontal:
        fig.set_size_inches(8, 1.6 + 0.28 * len(cats) * (len(names) if grouped else 1))
    else:
        fig.set_size_inches(max(6.5, 1.0 + 1.0 * len(cats)), 4.8)
    positions = np.arange(len(cats), dtype=float)
    base = np.zeros(len(cats))
    peak = max(sum(sum(values.get((c, n), ())) for n in names) for c in cats)
    peak = max([peak, *totals.values()])
    for index, name in enumerate(names):
        heights = np.array([sum(values.get((c, name), ())) for c in cats])
        offset = (index - (len(names) - 1) / 2) * width if grouped else 0.0
        where = positions + offset
        bottom = np.zeros(len(cats)) if grouped else base.copy()
        colour = palette[name]
        if horizontal:
            bars = ax.barh(where, heights, width, left=bottom, color=colour, label=name)
        else:
            bars = ax.bar(
                where, heights, width, bottom=bottom, color=colour, label=name
            )
        for position, patch in enumerate(bars.patches):
            patch.set_gid(f"bar-{position}-{index}")  # one mark per category, series
        for pos, low, height in zip(where, bottom, heights, strict=True):
            if height <= 0 or height < 0.06 * peak or (horizontal and not grouped):
                continue
            centre = low + height / 2
            ink = "white" if colour in ("#0072B2", "#D55E00", "#000000") else "black"
            xy = (centre, pos) if horizontal else (pos, centre)
            ax.annotate(
                amount(height), xy, ha="center", va="center", fontsize=8, color=ink
            )
        if not grouped:
            base += heights
    if not grouped:
        for pos, cat, listed in zip(positions, cats, base, strict=True):
            stated = totals.get(cat)
            label = amount(listed)
            if stated is not None:
                label = f"stated {amount(stated)}\nlisted {amount(listed)}"
                if horizontal:
                    ax.vlines(stated, pos - 0.45, pos + 0.45, colors="black", lw=1.6)
                else:
                    ax.hlines(stated, pos - 0.45, pos + 0.45, colors="black", lw=1.6)
            top = max(listed, stated or 0)
            if horizontal:
                ax.annotate(
                    label, (top, pos), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=8,
                )  # fmt: skip
            else:
                ax.annotate(
                    label, (pos, top), xytext=(0, 3), textcoords="offset points",
                    ha="center", va="bottom", fontsize=8,
                )  # fmt: skip
    labels = [wrap(c, 40 if horizontal else 14) for c in cats]
    value_axis = ax.xaxis if horizontal else ax.yaxis
    value_axis.set_major_formatter(FuncFormatter(amount))
    if horizontal:
        ax.set_yticks(positions, labels)
        ax.invert_yaxis()
        ax.set_xlim(0, peak * 1.18)
        ax.set_xlabel(spec.option("ylabel", ycol))
    else:
        ax.set_xticks(positions, labels)
        ax.set_ylim(0, peak * 1.18)
        ax.set_ylabel(spec.option("ylabel", ycol))
        if "xlabel" in spec.options:
            ax.set_xlabel(spec.options["xlabel"])
    if scol or tcol:
        handles, names_ = ax.get_legend_handles_labels()
        if tcol:
            from matplotlib.lines import Line2D

            handles.append(Line2D([], [], color="black", lw=1.6))
            names_.append(f"{tcol} total")
        legend(ax, handles, names_)


def legend(ax: Any, handles: list, labels: list[str]) -> None:
    ax.legend(
        handles,
        labels,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=min(len(labels), 4),
        fontsize=8,
        borderaxespad=0.2,
        handlelength=1.2,
    )


def draw_line(
    fig: Figure, ax: Any, spec: ChartSpec, rows: list[dict]
) -> dict[str, float]:
    """Lines over dates or numbers, a point per row labelled with its value; with
    a `label` column (a report), returns each label's first x, to tick it there."""
    xcol, ycol = spec.columns["x"], spec.columns["y"]
    scol, lcol = spec.column("series"), spec.column("label")
    points: list[tuple[float, float, str, str | None]] = []
    dated = all(period(r[xcol]) is not None for r in rows if r[xcol] is not None)
    for row in rows:
        y = number(row[ycol])
        if y is None or row[xcol] is None:
            continue
        span = period(row[xcol]) if dated else None
        x = float(date2num(span[0])) if span else number(row[xcol])
        if x is None:
            continue
        series = (text(row[scol]) or NOT_STATED) if scol else ycol
        points.append((x, y, series, text(row[lcol]) if lcol else None))
    if not points:
        raise ChartError(f"no row has numbers in {xcol!r} and {ycol!r}")
    fig.set_size_inches(8.5, 4.8)
    names = ordered([p[2] for p in points])
    palette = colours(names)
    placed: list[tuple[float, float]] = []
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    xspan = (max(xs) - min(xs)) or 1.0
    yspan = max(ys) or 1.0
    for name in names:
        mine = sorted({(p[0], p[1]) for p in points if p[2] == name})
        ax.plot(
            [p[0] for p in mine], [p[1] for p in mine], marker="o", ms=5, lw=1.8,
            color=palette[name], label=name, gid=f"series-{names.index(name)}",
        )  # fmt: skip
        for x, y in mine:
            near = [
                (px, py)
                for px, py in placed
                if abs(px - x) < 0.06 * xspan and abs(py - y) < 0.06 * yspan
            ]
            crowded = any(
                abs(p[0] - x) < 0.06 * xspan and 0 < p[1] - y < 0.12 * yspan
                for p in points
            )
            offset = (8, -12) if near else (0, -13) if crowded else (0, 5)
            placed.append((x, y))
            ax.annotate(
                amount(y), (x, y), xytext=offset, textcoords="offset points",
                ha="center", va="bottom", fontsize=8, color=palette[name],
            )  # fmt: skip
    ax.set_ylim(0, yspan * 1.2)
    ax.yaxis.set_major_formatter(FuncFormatter(amount))
    ax.set_xlim(min(xs) - 0.05 * xspan, max(xs) + 0.05 * xspan)
    ax.set_ylabel(spec.option("ylabel", ycol))
    legend(ax, *ax.get_legend_handles_labels())
    firsts: dict[str, float] = {}
    for x, _y, _s, label in sorted(points):
        if label is not None:
            firsts.setdefault(label, x)
    if not firsts and dated:
        ax.xaxis_date()
    return firsts


def tick_reports(
    ax: Any, firsts: Mapping[str, float], reports: Mapping[str, Report]
) -> None:
    """Tick a line chart's x axis at each label's first point; a report IRI is
    shown by its name and date."""
    ticks, labels = [], []
    for label, x in sorted(firsts.items(), key=lambda item: item[1]):
        report = reports.get(label)
        name = f"{report.short}\n{report.date}" if report else label.rsplit("/", 1)[-1]
        ticks.append(x)
        labels.append("\n".join(wrap(part, 18) for part in name.split("\n")))
    ax.set_xticks(ticks, labels, fontsize=7.5)
    for x in ticks:
        ax.axvline(x, color="#bbbbbb", lw=0.8, ls=":", zorder=0)


def draw_timeline(fig: Figure, ax: Any, spec: ChartSpec, rows: list[dict]) -> None:
    """A Gantt chart: a section per `row`, a lane per `label` in it, a bar per
    role from its start to its end, or over the period its `at` date covers."""
    rcol, acol = spec.columns["row"], spec.columns["at"]
    lcol, scol = spec.column("label"), spec.column("series")
    startcol, endcol = spec.column("start"), spec.column("end")
    lanes: dict[str, dict[str, list[tuple[dt.date, dt.date, str]]]] = {}
    for row in rows:
        at = period(row[acol])
        if row[rcol] is None or at is None:
            continue
        start = period(row[startcol]) if startcol else None
        end = period(row[endcol]) if endcol else None
        first, last = (start or at)[0], (end or at)[1]
        series = (text(row[scol]) or NOT_STATED) if scol else ""
        lane = (text(row[lcol]) or NOT_STATED) if lcol else str(row[rcol])
        bars = lanes.setdefault(str(row[rcol]), {}).setdefault(lane, [])
        if (first, last, series) not in bars:
            bars.append((first, last, series))
    if not lanes:
        raise ChartError(f"no row has a {rcol!r} and a date in {acol!r}")
    names = ordered(
        [s for group in lanes.values() for b in group.values() for *_, s in b]
    )
    palette = colours(names)
    days = [
        d for g in lanes.values() for b in g.values() for f, la, _ in b for d in (f, la)
    ]
    low, high = min(days), max(days)
    low, high = dt.date(low.year, 1, 1), dt.date(high.year, 12, 31)
    minimum = (high - low).days * 0.012
    count = sum(1.4 + len(group) for group in lanes.values())
    fig.set_size_inches(9, 1.4 + 0.21 * count)
    y = 0.0
    ticks, labels = [], []
    for group, members in lanes.items():
        header = wrap(group, 120)
        extra = header.count("\n") * 0.8
        ax.text(
            date2num(low) + 8, y + extra / 2, header, fontsize=8, fontweight="bold",
            va="center", ha="left",
        )  # fmt: skip
        y += 1 + extra
        for lane, bars in members.items():
            for first, last, series in bars:
                left, right = date2num(first), date2num(last) + 1
                if right - left < minimum:
                    middle = (left + right) / 2
                    left, right = middle - minimum / 2, middle + minimum / 2
                ax.barh(
                    y, right - left, 0.7, left=left, color=palette[series],
                    gid=f"span-{len(ticks)}-{series}",
                )  # fmt: skip
            ticks.append(y)
            labels.append(lane)
            y += 1
    ax.set_yticks(ticks, labels, fontsize=8)
    ax.set_ylim(y - 0.4, -0.8)
    ax.set_xlim(date2num(low), date2num(high))
    ax.xaxis_date()
    ax.grid(axis="x", color="#dddddd", lw=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    if scol:
        from matplotlib.patches import Patch

        legend(ax, [Patch(color=palette[n]) for n in names], names)


def draw_network(fig: Figure, ax: Any, spec: ChartSpec, rows: list[dict]) -> None:
    """Nodes sized by their own count, joined by lines as thick as the weight,
    placed by a seeded force layout: the same rows, the same picture."""
    scol, tcol = spec.columns["source"], spec.columns["target"]
    wcol = spec.column("weight")
    sizes: dict[str, float] = {}
    edges: dict[tuple[str, str], float] = {}
    for row in rows:
        a, b = text(row[scol]), text(row[tcol])
        if a is None or b is None or a == b:
            continue
        for name, key in ((a, "sourceSize"), (b, "targetSize")):
            column = spec.column(key)
            size = number(row[column]) if column else None
            sizes[name] = max(sizes.get(name, 1.0), size or 1.0)
        weight = (number(row[wcol]) if wcol else None) or 1.0
        pair = (min(a, b), max(a, b))
        edges[pair] = max(edges.get(pair, 0.0), weight)
    if not edges:
        raise ChartError(f"no row joins a {scol!r} to a {tcol!r}")
    nodes = sorted(sizes)
    positions = layout(nodes, edges)
    fig.set_size_inches(8.5, 7.5)
    top = max(edges.values())
    for (a, b), weight in sorted(edges.items()):
        (x1, y1), (x2, y2) = positions[a], positions[b]
        ax.plot(
            [x1, x2], [y1, y2], color="#7a7a7a", lw=0.6 + 3.4 * weight / top,
            alpha=0.55, zorder=1, solid_capstyle="round", gid=f"edge-{a}-{b}",
        )  # fmt: skip
    biggest = max(sizes.values())
    xs = [positions[n][0] for n in nodes]
    ys = [positions[n][1] for n in nodes]
    area = [60 + 1400 * sizes[n] / biggest for n in nodes]
    ax.scatter(
        xs, ys, s=area, color=PALETTE[0], alpha=0.85, zorder=2, lw=0, gid="nodes"
    )
    for node, x, y in zip(nodes, xs, ys, strict=True):
        radius = math.sqrt(60 + 1400 * sizes[node] / biggest) / 2 + 3
        angle = math.atan2(y, x)
        ax.annotate(
            f"{node} ({amount(sizes[node])})", (x, y),
            xytext=(radius * math.cos(angle), radius * math.sin(angle)),
            textcoords="offset points", ha="left" if x >= -1e-9 else "right",
            va="center", fontsize=7.5, zorder=3,
        )  # fmt: skip
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_aspect("equal")
    ax.set_xlim(-1.45, 1.45)
    ax.set_ylim(-1.15, 1.15)


def layout(
    nodes: list[str], edges: Mapping[tuple[str, str], float]
) -> dict[str, tuple[float, float]]:
    """Nodes on a circle, each next to the neighbour it shares most with: a
    walk from the biggest hub along the heaviest edges, component by component.
    No randomness, so the same rows give the same picture, and every label has
    room outside the circle."""
    links: dict[str, list[tuple[float, str]]] = {n: [] for n in nodes}
    for (a, b), weight in edges.items():
        links[a].append((weight, b))
        links[b].append((weight, a))
    degree = {n: sum(w for w, _ in links[n]) for n in nodes}
    order: list[str] = []
    seen: set[str] = set()
    for hub in sorted(nodes, key=lambda n: (-degree[n], n)):
        if hub in seen:
            continue
        stack = [hub]
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            order.append(node)
            nearest = sorted(links[node], key=lambda item: (item[0], item[1]))
            stack.extend(n for _, n in nearest if n not in seen)
    step = 2 * math.pi / len(order)
    return {
        n: (round(math.cos(i * step), 6), round(math.sin(i * step), 6))
        for i, n in enumerate(order)
    }


# --- caption --------------------------------------------------------------------


def add_caption(
    fig: Figure,
    ax: Any,
    spec: ChartSpec,
    rows: list[dict],
    reports: Mapping[str, Report],
) -> None:
    """Name the reports the rows come from (oldest first), and any note, below
    everything else the axes draw."""
    column = spec.columns["reports"]
    cited = {str(r[column]) for r in rows if r[column] is not None}
    known = sorted((reports[c] for c in cited if c in reports), key=lambda r: r.date)
    names = [r.cite() for r in known] + sorted(
        c.rsplit("/", 1)[-1] for c in cited if c not in reports
    )
    label = "Source" if len(names) == 1 else "Sources"
    caption = f"{label}: " + "; ".join(names) + "."
    note = spec.options.get("note")
    width = int(fig.get_size_inches()[0] * 15)
    lines = textwrap.wrap(caption, width)
    if note:
        lines = textwrap.wrap(note, width) + lines
    renderer = fig.canvas.get_renderer()
    box = ax.get_tightbbox(renderer).transformed(fig.transFigure.inverted())
    fig.text(
        box.x0, box.y0 - 0.01, "\n".join(lines), ha="left", va="top", fontsize=7.5,
        color="#333333", linespacing=1.4,
    )  # fmt: skip
