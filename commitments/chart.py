"""Geometry of a grouped bar chart, for the template to draw as SVG. Pure Python."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

SERIES = (
    ("made", "Made", "#7d8797"),
    ("kept", "Kept on time", "#1d7a46"),
    ("late", "Late", "#c2410c"),
    ("dropped", "Dropped", "#a3222d"),
)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    color: str
    label: str
    value: int

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass
class Chart:
    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    bars: list[Bar] = field(default_factory=list)
    y_ticks: list[tuple[float, int]] = field(default_factory=list)  # (y, value)
    x_labels: list[tuple[float, str]] = field(default_factory=list)  # (x centre, quarter)
    legend: list[tuple[float, str, str]] = field(default_factory=list)  # (x, colour, label)

    @property
    def plot_height(self) -> int:
        return self.bottom - self.top

    @property
    def x_axis_label_y(self) -> int:
        return self.bottom + 38

    @property
    def y_axis_label_x(self) -> int:
        return 16

    @property
    def middle_x(self) -> float:
        return (self.left + self.right) / 2

    @property
    def middle_y(self) -> float:
        return (self.top + self.bottom) / 2


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 × 10ⁿ at or above value (at least 1)."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover


def grouped_bars(tallies, *, width: int = 880, height: int = 320) -> Chart:
    """One group per quarter, one bar per series, a y axis from 0 to a round maximum."""
    chart = Chart(width=width, height=height, left=64, top=36, right=width - 16, bottom=height - 56)
    for i, (_, label, color) in enumerate(SERIES):
        chart.legend.append((chart.left + i * 140, color, label))
    top_value = nice_ceiling(max((t.made for t in tallies), default=0))
    steps = next(n for n in (4, 5, 2, 1) if top_value % n == 0)
    for i in range(steps + 1):
        value = top_value * i // steps
        chart.y_ticks.append((round(chart.bottom - chart.plot_height * i / steps, 1), value))
    if not tallies:
        return chart
    group_width = (chart.right - chart.left) / len(tallies)
    bar_width = min(28.0, group_width * 0.8 / len(SERIES))
    for g, tally in enumerate(tallies):
        centre = chart.left + group_width * (g + 0.5)
        chart.x_labels.append((centre, tally.quarter))
        start = centre - bar_width * len(SERIES) / 2
        for s, (key, label, color) in enumerate(SERIES):
            value = getattr(tally, key)
            bar_height = chart.plot_height * value / top_value
            chart.bars.append(
                Bar(
                    x=round(start + s * bar_width, 1),
                    y=round(chart.bottom - bar_height, 1),
                    width=round(bar_width - 2, 1),
                    height=round(bar_height, 1),
                    color=color,
                    label=f"{tally.quarter} · {label}: {value}",
                    value=value,
                )
            )
    return chart
