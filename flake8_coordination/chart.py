"""The burndown chart as a hand-written SVG (no plotting dependency).

Two panels over one time axis: deprecated usages stacked by area (with facade
bypasses as a dashed line) on top, the package's module count against its target
below. Values hold until the next commit (step lines), the latest value of every
series is written at its end, and a rug under the time axis shows where the commits are.
"""
from __future__ import annotations

import datetime
import math
from typing import List, Optional, Sequence, Tuple
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 960, 550
LEFT, RIGHT = 64, 150
TOP_A, BOTTOM_A = 108, 330
TOP_B, BOTTOM_B = 382, 486
PALETTE = {"tests": "#dd8452", "scripts": "#55a868", "other": "#8c8c8c"}
FIRST = "#4c72b0"
BYPASS = "#444444"
MODULES = "#c44e52"
TARGET = "#2a9d8f"
FONT = "font-family=\"Helvetica, Arial, sans-serif\""


def burndown_svg(points: Sequence, title: str, target: Optional[int] = None) -> str:
    """SVG text for *points* (:class:`flake8_coordination.history.Point`, oldest first)."""
    out: List[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" {FONT} font-size="12">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="30" font-size="18" font-weight="bold" fill="#222">{escape(title)}</text>',
    ]
    if not points:
        out.append(f'<text x="{LEFT}" y="60" fill="#555">No commits to show.</text>')
        return "\n".join(out + ["</svg>"]) + "\n"
    first, last = points[0], points[-1]
    out.append(
        f'<text x="{LEFT}" y="52" fill="#555">{len(points)} commit{"s" if len(points) != 1 else ""}, '
        f'{_day(first.commit.date)} to {_day(last.commit.date)}: deprecated usages {first.usages} → '
        f'{last.usages}, modules {_value(first.modules)} → {_value(last.modules)}</text>'
    )
    times = [_seconds(p.commit.date) for p in points]
    start, end = times[0], times[-1]
    if end <= start:
        end = start + 86400
    right = WIDTH - RIGHT

    def x(t: float) -> float:
        return LEFT + (t - start) / (end - start) * (right - LEFT)

    xs = [x(t) for t in times]
    out += _time_grid(start, end, x)
    out += _usages_panel(points, xs, right)
    out += _modules_panel(points, xs, right, target)
    out += _time_axis(start, end, x, xs)
    out.append("</svg>")
    return "\n".join(out) + "\n"


# -- the two panels --------------------------------------------------------------------
def _usages_panel(points: Sequence, xs: List[float], right: float) -> List[str]:
    names = list(points[0].by_area)
    totals = [p.usages for p in points]
    bypasses = [p.bypasses for p in points]
    top = _nice_top(max(max(totals), max(bypasses), 1))
    out = _frame("Deprecated usages left, by area", TOP_A, BOTTOM_A, top, right)

    def y(value: float) -> float:
        return BOTTOM_A - value / top * (BOTTOM_A - TOP_A)

    lower = [0] * len(points)
    for index, name in enumerate(names):
        upper = [low + p.by_area.get(name, 0) for low, p in zip(lower, points)]
        if any(u != low for u, low in zip(upper, lower)):
            colour = _colour(index, name)
            top_edge = _steps(xs, [y(v) for v in upper], right)
            bottom_edge = _steps(xs, [y(v) for v in lower], right)
            polygon = top_edge + list(reversed(bottom_edge))
            out.append(f'<polygon points="{_points(polygon)}" fill="{colour}" fill-opacity="0.85" stroke="none"/>')
        lower = upper
    out.append(f'<polyline points="{_points(_steps(xs, [y(v) for v in totals], right))}" fill="none" '
               f'stroke="#1f2d3d" stroke-width="1.5"/>')
    out.append(f'<polyline points="{_points(_steps(xs, [y(v) for v in bypasses], right))}" fill="none" '
               f'stroke="{BYPASS}" stroke-width="1.5" stroke-dasharray="5,3"/>')
    labels = [(y(totals[-1]), f"{totals[-1]} usages", "#1f2d3d", True),
              (y(bypasses[-1]), f"{bypasses[-1]} facade bypasses", BYPASS, False)]
    out += _end_labels(labels, right)
    legend = [(_colour(i, name), name, "box") for i, name in enumerate(names)]
    legend.append((BYPASS, "facade bypasses", "dash"))
    out += _legend(legend, TOP_A - 16)
    return out


def _modules_panel(points: Sequence, xs: List[float], right: float, target: Optional[int]) -> List[str]:
    values = [p.modules for p in points]
    known = [v for v in values if v is not None]
    top = _nice_top(max(known + ([target] if target is not None else []) + [1]))
    out = _frame("Modules in the package" + (f" (target {target})" if target is not None else ""),
                 TOP_B, BOTTOM_B, top, right)

    def y(value: float) -> float:
        return BOTTOM_B - value / top * (BOTTOM_B - TOP_B)

    if target is not None:
        out.append(f'<line x1="{LEFT}" y1="{y(target):.1f}" x2="{right:.1f}" y2="{y(target):.1f}" '
                   f'stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="6,4"/>')
    segment: List[Tuple[float, Optional[float]]] = []
    runs: List[List[Tuple[float, float]]] = []
    for index, value in enumerate(values):
        if value is None:
            if segment:
                runs.append(segment)  # type: ignore[arg-type]
            segment = []
            continue
        segment.append((xs[index], value))
    if segment:
        runs.append(segment)  # type: ignore[arg-type]
    for run in runs:
        run_xs = [px for px, _ in run]
        stop = right if run[-1][0] == xs[-1] else run_xs[-1]
        path = _steps(run_xs, [y(v) for _, v in run], stop)
        out.append(f'<polyline points="{_points(path)}" fill="none" stroke="{MODULES}" stroke-width="2"/>')
    labels = []
    if values[-1] is not None:
        labels.append((y(values[-1]), f"{values[-1]} modules", MODULES, True))
    if target is not None:
        labels.append((y(target), f"target {target}", TARGET, False))
    out += _end_labels(labels, right)
    return out


# -- pieces ---------------------------------------------------------------------------
def _frame(label: str, top_y: float, bottom_y: float, top: int, right: float) -> List[str]:
    out = [f'<text x="{LEFT}" y="{top_y - 16 if top_y == TOP_A else top_y - 12}" font-size="13" '
           f'font-weight="bold" fill="#333">{escape(label)}</text>']
    for tick in _ticks(top):
        ty = bottom_y - tick / top * (bottom_y - top_y)
        out.append(f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{right:.1f}" y2="{ty:.1f}" stroke="#e6e6e6"/>')
        out.append(f'<text x="{LEFT - 8}" y="{ty + 4:.1f}" text-anchor="end" fill="#666">{tick}</text>')
    out.append(f'<line x1="{LEFT}" y1="{bottom_y}" x2="{right:.1f}" y2="{bottom_y}" stroke="#999"/>')
    return out


def _time_grid(start: float, end: float, x) -> List[str]:
    return [
        f'<line x1="{x(stamp):.1f}" y1="{TOP_A}" x2="{x(stamp):.1f}" y2="{BOTTOM_B}" stroke="#ececec"/>'
        for stamp, _ in _time_ticks(start, end)
    ]


def _time_axis(start: float, end: float, x, xs: List[float]) -> List[str]:
    out = []
    for stamp, label in _time_ticks(start, end):
        tx = x(stamp)
        out.append(f'<text x="{tx:.1f}" y="{BOTTOM_B + 34}" text-anchor="middle" fill="#666">{label}</text>')
    rug = " ".join(f"M{px:.1f} {BOTTOM_B + 4}v8" for px in xs)
    out.append(f'<path d="{rug}" stroke="#1f2d3d" stroke-opacity="0.35" stroke-width="1"/>')
    out.append(f'<text x="{WIDTH - RIGHT + 8}" y="{BOTTOM_B + 12}" fill="#888" font-size="11">commits</text>')
    return out


def _legend(items: List[Tuple[str, str, str]], y: float) -> List[str]:
    out, lx = [], LEFT + 300.0
    for colour, label, kind in items:
        if kind == "box":
            out.append(f'<rect x="{lx:.1f}" y="{y - 9:.1f}" width="12" height="10" fill="{colour}"/>')
        else:
            out.append(f'<line x1="{lx:.1f}" y1="{y - 4:.1f}" x2="{lx + 14:.1f}" y2="{y - 4:.1f}" '
                       f'stroke="{colour}" stroke-width="1.5" stroke-dasharray="5,3"/>')
        out.append(f'<text x="{lx + 18:.1f}" y="{y:.1f}" fill="#333">{escape(label)}</text>')
        lx += 30 + 7 * len(label)
    return out


def _end_labels(labels: List[Tuple[float, str, str, bool]], right: float) -> List[str]:
    """Values written right of the plot, nudged apart so they never overlap."""
    labels = sorted(labels)
    placed: List[float] = []
    for ly, *_ in labels:
        placed.append(max(ly, placed[-1] + 14) if placed else ly)
    out = []
    for (ly, text, colour, bold), py in zip(labels, placed):
        weight = ' font-weight="bold"' if bold else ""
        out.append(f'<text x="{right + 8:.1f}" y="{py + 4:.1f}" fill="{colour}"{weight}>{escape(text)}</text>')
    return out


def _colour(index: int, name: str) -> str:
    return FIRST if index == 0 else PALETTE.get(name, "#8172b3")


def _steps(xs: List[float], ys: List[float], end: float) -> List[Tuple[float, float]]:
    """A step line: each value holds until the next point, the last one until *end*."""
    path: List[Tuple[float, float]] = []
    for index, (px, py) in enumerate(zip(xs, ys)):
        if path:
            path.append((px, path[-1][1]))
        path.append((px, py))
        if index == len(xs) - 1:
            path.append((end, py))
    return path


def _points(path: List[Tuple[float, float]]) -> str:
    return " ".join(f"{px:.1f},{py:.1f}" for px, py in path)


def _nice_top(value: float) -> int:
    """The smallest 1/2/5 x 10^k tick multiple at or above *value*, with a little headroom."""
    step = _tick_step(value * 1.05)
    return int(math.ceil(value * 1.05 / step) * step)


def _tick_step(value: float) -> int:
    raw = max(value, 1) / 5
    power = 10 ** int(math.floor(math.log10(raw)))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return max(1, int(factor * power))
    return max(1, int(10 * power))  # pragma: no cover


def _ticks(top: int) -> List[int]:
    step = _tick_step(top)
    return list(range(0, top + 1, step))


_STEPS = [3600 * h for h in (1, 3, 6, 12)] + [86400 * d for d in (1, 2, 7, 14)]


def _time_ticks(start: float, end: float) -> List[Tuple[float, str]]:
    span = end - start
    for step in _STEPS:
        if span / step <= 9:
            first = math.ceil(start / step) * step
            if step >= 86400 * 7:  # weeks start on Monday
                first = math.ceil((start - 4 * 86400) / step) * step + 4 * 86400
            ticks = []
            stamp = first
            while stamp <= end:
                moment = datetime.datetime.fromtimestamp(stamp, datetime.timezone.utc)
                label = moment.strftime("%b %d") if step >= 86400 else moment.strftime("%b %d %H:%M")
                ticks.append((stamp, label))
                stamp += step
            return ticks
    months = max(1, math.ceil(span / (86400 * 30) / 9))
    moment = datetime.datetime.fromtimestamp(start, datetime.timezone.utc)
    year, month = moment.year, moment.month + 1
    ticks = []
    while True:
        if month > 12:
            year, month = year + 1, month - 12
        stamp = datetime.datetime(year, month, 1, tzinfo=datetime.timezone.utc).timestamp()
        if stamp > end:
            return ticks
        ticks.append((stamp, datetime.datetime(year, month, 1).strftime("%b %Y")))
        month += months


def _seconds(moment: datetime.datetime) -> float:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp()


def _day(moment: datetime.datetime) -> str:
    return moment.date().isoformat()


def _value(value: Optional[int]) -> str:
    return "—" if value is None else str(value)
