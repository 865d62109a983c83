"""Geometry of the server-rendered SVG charts on the review page (no JavaScript needed)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: str
    value_label: str
    label_x: float
    label_y: float
    title: str


@dataclass(frozen=True)
class TrendChart:
    """A grouped bar chart: one group per quarter, one bar per series, y axis in minutes."""

    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    y_ticks: tuple[tuple[float, str], ...]
    x_labels: tuple[tuple[float, str], ...]
    bars: tuple[Bar, ...]
    series: tuple[tuple[str, str], ...]  # (css class, name) for the legend
    y_title: str = "minutes"

    @property
    def plot_width(self) -> int:
        return self.right - self.left

    @property
    def axis_mid_y(self) -> float:
        return (self.top + self.bottom) / 2


def nice_step(maximum: float, ticks: int = 4) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about ``ticks`` ticks."""
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * power:
            return multiple * power
    return 10 * power  # pragma: no cover - the loop always returns


def _minutes(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def trend_chart(
    rows: Sequence[tuple[str, Sequence[float | None]]],
    series: Sequence[tuple[str, str]],
    *,
    width: int = 640,
    height: int = 260,
) -> TrendChart | None:
    """Lay out ``rows`` of (quarter, one value per series); None when there is nothing to draw."""
    values = [v for _, row in rows for v in row if v is not None]
    if not values:
        return None
    left, right, top, bottom = 56, width - 12, 16, height - 40
    step = nice_step(max(values))
    top_value = step * math.ceil(max(values) / step)
    scale = (bottom - top) / top_value

    def y_of(value: float) -> float:
        return bottom - value * scale

    ticks = tuple(
        (round(y_of(step * i), 1), _minutes(step * i)) for i in range(round(top_value / step) + 1)
    )
    group = (right - left) / len(rows)
    bar_width = min(36.0, group * 0.7 / len(series))
    bars, labels = [], []
    for index, (quarter, row) in enumerate(rows):
        centre = left + group * (index + 0.5)
        labels.append((round(centre, 1), quarter))
        start = centre - bar_width * len(series) / 2
        for position, ((css, name), value) in enumerate(zip(series, row, strict=True)):
            if value is None:
                continue
            y = y_of(value)
            x = start + position * bar_width
            bars.append(
                Bar(
                    x=round(x, 1),
                    y=round(y, 1),
                    width=round(bar_width - 2, 1),
                    height=round(bottom - y, 1),
                    series=css,
                    value_label=_minutes(value),
                    label_x=round(x + (bar_width - 2) / 2, 1),
                    label_y=round(y - 4, 1),
                    title=f"{quarter} {name}: {_minutes(value)} min",
                )
            )
    return TrendChart(
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        y_ticks=ticks,
        x_labels=tuple(labels),
        bars=tuple(bars),
        series=tuple(series),
    )
