"""Who meets whom: actors linked by the events and sentences they share, drawn as SVG.

A small force-directed layout (Fruchterman and Reingold, 1991) places linked
actors near each other; it starts from a circle in a fixed order and uses no
randomness, so the same briefing always gives the same picture. Only the most
connected actors are drawn; the actor table lists them all.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from briefing.model import Relation
from briefing.render.svg import element, esc, shorten, svg_document, text_width

WIDTH = 720.0
MAX_NODES = 16
LABEL_SIZE = 10.5
LABEL_CHARS = 28
ITERATIONS = 250
GRAVITY = 3.0
"""Pull towards the centre: keeps unconnected groups of actors close instead of in the corners."""

KIND_COLOURS = {
    "person": "#1f4e79",
    "organization": "#2e7d6b",
    "country": "#a35a0a",
    "location": "#7a4e9a",
}
KIND_NAMES = {"person": "person", "organization": "organisation", "country": "country", "location": "place"}
UNKNOWN_COLOUR = "#7d8794"


@dataclass(frozen=True, slots=True)
class Network:
    """The drawn network, and how many actors with links were left out of the picture."""

    svg: str
    shown: int
    left_out: int


def draw_network(relations: Sequence[Relation], kinds: Mapping[str, str] | None = None) -> Network | None:
    """The SVG of the ``MAX_NODES`` most connected actors and their links; None without relations."""
    kinds = kinds or {}
    strength: dict[str, int] = defaultdict(int)
    for rel in relations:
        if rel.a != rel.b:
            strength[rel.a] += rel.weight
            strength[rel.b] += rel.weight
    if not strength:
        return None
    names = sorted(strength, key=lambda n: (-strength[n], n))[:MAX_NODES]
    index = {name: n for n, name in enumerate(names)}
    merged: dict[tuple[int, int], int] = defaultdict(int)
    for rel in relations:
        if rel.a in index and rel.b in index and rel.a != rel.b:
            low, high = sorted((index[rel.a], index[rel.b]))
            merged[(low, high)] += rel.weight
    edges = sorted(merged.items())

    height = 200.0 if len(names) <= 4 else 320.0 if len(names) <= 9 else 400.0
    pos = _layout(len(names), [(a, b, w) for (a, b), w in edges])
    pos = _fit(pos, names, height)

    top = max(strength[n] for n in names)
    parts: list[str] = []
    for (a, b), weight in edges:
        (x1, y1), (x2, y2) = pos[a], pos[b]
        tip = f"{names[a]} and {names[b]}: together {weight} time{'s' if weight != 1 else ''}"
        parts.append(
            element(
                "g",
                element("title", esc(tip))
                + element(
                    "line",
                    x1=x1,
                    y1=y1,
                    x2=x2,
                    y2=y2,
                    stroke="#9aa5b1",
                    stroke_width=min(1.0 + 1.2 * math.log2(weight), 6.0) if weight > 1 else 1.0,
                    stroke_linecap="round",
                ),
            )
        )
    radii = [4.5 + 7.5 * math.sqrt(strength[name] / top) for name in names]
    texts = [shorten(name, LABEL_CHARS) for name in names]
    spots = _label_spots(pos, radii, texts, height)
    circles: list[str] = []
    labels: list[str] = []
    for n, name in enumerate(names):
        x, y = pos[n]
        colour = KIND_COLOURS.get(kinds.get(name, ""), UNKNOWN_COLOUR)
        tip = f"{name}: {strength[name]} link{'s' if strength[name] != 1 else ''}"
        circles.append(
            element(
                "g",
                element("title", esc(tip))
                + element("circle", cx=x, cy=y, r=radii[n], fill=colour, stroke="#ffffff", stroke_width=1.5),
            )
        )
        lx, ly, anchor = spots[n]
        width = text_width(texts[n], LABEL_SIZE)
        left = lx if anchor == "start" else lx - width if anchor == "end" else lx - width / 2
        labels.append(
            element(
                "rect",
                x=left - 2,
                y=ly - LABEL_SIZE + 1,
                width=width + 4,
                height=LABEL_SIZE + 3.0,
                rx=2,
                fill="#ffffff",
                opacity="0.85",
            )
        )
        labels.append(
            element(
                "text",
                esc(texts[n]),
                x=lx,
                y=ly,
                font_size=LABEL_SIZE,
                fill="#1d2733",
                text_anchor=None if anchor == "start" else anchor,
            )
        )
    parts += circles + labels
    parts.append(_legend(sorted({kinds.get(n, "") for n in names}), height))
    leaders = ", ".join(f"{n} ({strength[n]} link{'s' if strength[n] != 1 else ''})" for n in names[:3])
    title = f"Who meets whom: {len(names)} actors and {len(edges)} links; most connected: {leaders}"
    svg = svg_document(WIDTH, height, "".join(parts), title, "chart network")
    return Network(svg, len(names), len(strength) - len(names))


def _layout(count: int, edges: list[tuple[int, int, int]]) -> list[tuple[float, float]]:
    """Fruchterman-Reingold in a unit square, from a circle, with gentle gravity to the centre."""
    if count == 1:
        return [(0.5, 0.5)]
    pos = [
        [
            0.5 + 0.4 * math.cos(2 * math.pi * n / count - math.pi / 2),
            0.5 + 0.4 * math.sin(2 * math.pi * n / count - math.pi / 2),
        ]
        for n in range(count)
    ]
    k = 0.75 * math.sqrt(1.0 / count)
    temperature = 0.1
    for _ in range(ITERATIONS):
        shift = [[0.0, 0.0] for _ in range(count)]
        for i in range(count):
            for j in range(i + 1, count):
                dx, dy = pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]
                dist = max(math.hypot(dx, dy), 1e-3)
                push = k * k / dist
                shift[i][0] += dx / dist * push
                shift[i][1] += dy / dist * push
                shift[j][0] -= dx / dist * push
                shift[j][1] -= dy / dist * push
        for a, b, weight in edges:
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            dist = max(math.hypot(dx, dy), 1e-3)
            pull = dist * dist / k * (1 + math.log(weight))
            shift[a][0] -= dx / dist * pull
            shift[a][1] -= dy / dist * pull
            shift[b][0] += dx / dist * pull
            shift[b][1] += dy / dist * pull
        for n in range(count):
            shift[n][0] += (0.5 - pos[n][0]) * GRAVITY * k
            shift[n][1] += (0.5 - pos[n][1]) * GRAVITY * k
            length = max(math.hypot(*shift[n]), 1e-9)
            step = min(length, temperature)
            pos[n][0] += shift[n][0] / length * step
            pos[n][1] += shift[n][1] / length * step
        temperature = max(temperature * 0.985, 0.002)
    return [(p[0], p[1]) for p in pos]


def _fit(pos: list[tuple[float, float]], names: list[str], height: float) -> list[tuple[float, float]]:
    """Scale the layout into the drawing, leaving room for the labels at the sides and the legend."""
    side = max(text_width(shorten(n, LABEL_CHARS), LABEL_SIZE) for n in names) + 20
    side = min(side, WIDTH * 0.3)
    xs, ys = [p[0] for p in pos], [p[1] for p in pos]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    wx, wy = max(x1 - x0, 1e-6), max(y1 - y0, 1e-6)
    left, right, top, bottom = side, WIDTH - side, 22.0, height - 34.0
    return [
        (
            (left + right) / 2 if x1 == x0 else left + (x - x0) / wx * (right - left),
            (top + bottom) / 2 if y1 == y0 else top + (y - y0) / wy * (bottom - top),
        )
        for x, y in pos
    ]


Box = tuple[float, float, float, float]


def _label_spots(
    pos: list[tuple[float, float]], radii: list[float], texts: list[str], height: float
) -> list[tuple[float, float, str]]:
    """Where each name goes: right, left, above or below its dot, whichever covers the least of
    the labels already placed and the other dots (the most connected actors choose first)."""
    dots: list[Box] = [(x - r, y - r, x + r, y + r) for (x, y), r in zip(pos, radii, strict=True)]
    placed: list[Box] = []
    spots: list[tuple[float, float, str]] = [(0.0, 0.0, "start")] * len(pos)
    for n in range(len(pos)):  # names are sorted by strength already
        (x, y), r, width = pos[n], radii[n], text_width(texts[n], LABEL_SIZE)
        base = y + LABEL_SIZE * 0.35
        options = [
            (x + r + 4, base, "start", (x + r + 3, y - 7, x + r + 5 + width, y + 7)),
            (x - r - 4, base, "end", (x - r - 5 - width, y - 7, x - r - 3, y + 7)),
            (x, y - r - 5, "middle", (x - width / 2, y - r - 16, x + width / 2, y - r - 2)),
            (x, y + r + 13, "middle", (x - width / 2, y + r + 2, x + width / 2, y + r + 16)),
        ]
        if x > WIDTH / 2:
            options[0], options[1] = options[1], options[0]

        others = placed + [d for m, d in enumerate(dots) if m != n]
        lx, ly, anchor, box = min(options, key=lambda o: _cost(o[3], others, height))
        placed.append(box)
        spots[n] = (lx, ly, anchor)
    return spots


def _cost(box: Box, others: list[Box], height: float) -> float:
    """How much of ``others`` the label ``box`` covers; leaving the drawing costs most."""
    outside = box[0] < 0 or box[2] > WIDTH or box[1] < 0 or box[3] > height - 22
    return sum(_overlap(box, other) for other in others) + (1e6 if outside else 0.0)


def _overlap(a: Box, b: Box) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _legend(kinds: list[str], height: float) -> str:
    parts: list[str] = []
    x = 8.0
    for kind in kinds:
        colour = KIND_COLOURS.get(kind, UNKNOWN_COLOUR)
        name = KIND_NAMES.get(kind, "other")
        parts.append(element("circle", cx=x + 5, cy=height - 12, r=5.0, fill=colour))
        parts.append(element("text", esc(name), x=x + 14, y=height - 8.5, font_size=9.5, fill="#5b6673"))
        x += 24 + text_width(name, 9.5)
    return element("g", "".join(parts), class_="legend")
