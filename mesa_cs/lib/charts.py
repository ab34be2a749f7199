"""Bar charts drawn on the server as SVG (the CSP allows no chart scripts or
inline styles): these functions work out every bar's position and size in
whole pixels, and ``includes/bar_chart.html`` only writes them out, with a
title for screen readers; the page puts the table of the same figures
beside it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from mesa_cs.lib.formatting import money_text

CHART_WIDTH, CHAR_WIDTH = 720, 7
LEGEND_TOP, LEGEND_HEIGHT, MARGIN = 4, 22, 8
# Columns (one group a day or month): the value scale on the left.
COLUMN_HEIGHT, COLUMN_LEFT, COLUMN_LABELS, MIN_BAR_WIDTH = 240, 96, 22, 2
# Rows (one group a category): the names on the left, the scale below,
# optional section headings above their rows.
ROW_LEFT, ROW_RIGHT, ROW_BAR, ROW_GAP, ROW_HEADING, ROW_LABEL_CHARS = 232, 56, 12, 8, 20, 32
FILLS = ("#00467f", "#5b9bd5", "#e07b00", "#2e7d32", "#8e24aa")
NICE_STEPS = tuple(Decimal(n) for n in ("1", "1.5", "2", "2.5", "3", "4", "5", "6", "8", "10"))


@dataclass
class Bar:
    x: int
    y: int
    width: int
    height: int
    fill: str
    title: str


@dataclass
class Text:
    x: int
    y: int
    text: str
    anchor: str = "middle"
    bold: bool = False


@dataclass
class Line:
    x1: int
    y1: int
    x2: int
    y2: int


@dataclass
class LegendItem:
    x: int
    y: int
    text: str
    fill: str


@dataclass
class Chart:
    """A bar chart's geometry in whole pixels, ready to write out as SVG."""

    title: str
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    labels: list[Text] = field(default_factory=list)
    ticks: list[Text] = field(default_factory=list)
    gridlines: list[Line] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)

    @property
    def scrolls(self) -> bool:
        """Wider than the page's column: it scrolls sideways (by keyboard too)."""
        return self.width > CHART_WIDTH


def _figure(value, money: bool) -> str:
    return money_text(Decimal(value)) if money else f"{value:,}"


def _tick(value: Decimal, money: bool) -> str:
    whole = value == value.to_integral_value()
    if money:
        text = money_text(value)
        return text.removesuffix(".00") if whole else text
    return f"{value:,.0f}"


def _scale(series: list[tuple[str, list]], money: bool) -> tuple[Decimal | None, Decimal]:
    """(the half-way tick, the full scale): the smallest round step (1, 1.5,
    2, 2.5, 3, 4, 5, 6 or 8 times a power of ten; a whole number for counts)
    that twice reaches the highest value, so the ticks read 0, step, 2 x step.
    With nothing above zero there is no step, and only the zero line."""
    highest = max((Decimal(v) for _, column in series for v in column if v > 0), default=None)
    if highest is None:
        return None, Decimal(1)
    half = highest / 2
    if not money:  # a count's step is whole: at least 1, so at least a half to reach
        half = max(half, Decimal("0.5"))
    power = Decimal(10) ** half.adjusted()
    step = next(
        n * power
        for n in NICE_STEPS
        if n * power >= half and (money or n * power == (n * power).to_integral_value())
    )
    return step, 2 * step


def _length(value, room: int, scale: Decimal) -> int:
    return int(Decimal(max(value, 0)) * room / scale)


def _legend(chart: Chart, series: list[tuple[str, list]], left: int) -> int:
    """Draw the legend when there is more than one series; the plot's top."""
    if len(series) == 1:
        return MARGIN
    x = left
    for position, (name, _) in enumerate(series):
        chart.legend.append(LegendItem(x=x, y=LEGEND_TOP, text=name, fill=FILLS[position]))
        x += 24 + len(name) * CHAR_WIDTH
    return LEGEND_TOP + LEGEND_HEIGHT


def column_chart(
    title: str, labels: list[str], series: list[tuple[str, list]], *, money: bool = False
) -> Chart | None:
    """Vertical bars for a time series: one group a day or month, one bar per
    series. The chart widens (the page scrolls it) rather than draw bars
    under 2 px, and names every n-th group when the names would touch."""
    if not labels:
        return None
    groups, per_group = len(labels), len(series)
    plot_width = max(CHART_WIDTH - COLUMN_LEFT - MARGIN, groups * (per_group * MIN_BAR_WIDTH + 2))
    group_width = plot_width // groups
    gap = max(group_width // 5, 1)
    bar_width = max((group_width - gap) // per_group, 1)
    chart = Chart(title=title, width=COLUMN_LEFT + plot_width + MARGIN, height=COLUMN_HEIGHT)
    top = _legend(chart, series, COLUMN_LEFT)
    bottom = COLUMN_HEIGHT - COLUMN_LABELS
    step, scale = _scale(series, money)
    ticks = [(bottom, Decimal(0))]
    if step is not None:
        ticks += [((top + bottom) // 2, step), (top, scale)]
    for y, value in ticks:
        chart.gridlines.append(Line(COLUMN_LEFT, y, COLUMN_LEFT + plot_width, y))
        chart.ticks.append(Text(COLUMN_LEFT - 6, y + 4, _tick(value, money), "end"))
    for index, label in enumerate(labels):
        left = COLUMN_LEFT + index * group_width + gap // 2
        for position, (name, column) in enumerate(series):
            height = _length(column[index], bottom - top, scale)
            chart.bars.append(
                Bar(
                    left + position * bar_width,
                    bottom - height,
                    bar_width,
                    height,
                    FILLS[position],
                    f"{label}, {name}: {_figure(column[index], money)}",
                )
            )
    widest = max(len(label) for label in labels) * CHAR_WIDTH + 6
    every = max(-(-groups * widest // plot_width), 1)
    for index in range(0, groups, every):
        x = COLUMN_LEFT + index * group_width + group_width // 2
        chart.labels.append(Text(x, bottom + 16, labels[index]))
    return chart


def row_chart(
    title: str,
    labels: list[str],
    series: list[tuple[str, list]],
    *,
    money: bool = False,
    sections: list[str] | None = None,
) -> Chart | None:
    """Horizontal bars for categories with long names: one group a row, the
    name on the left (shortened; each bar's tooltip has it whole), and with
    ``sections`` (one a label) a heading wherever the section changes."""
    if not labels:
        return None
    per_group = len(series)
    group_height = per_group * ROW_BAR + ROW_GAP
    plot_width = CHART_WIDTH - ROW_LEFT - ROW_RIGHT
    chart = Chart(title=title, width=CHART_WIDTH, height=0)
    top = _legend(chart, series, ROW_LEFT)
    step, scale = _scale(series, money)
    y, section = top, None
    for index, label in enumerate(labels):
        if sections and sections[index] != section:
            section = sections[index]
            chart.labels.append(Text(MARGIN, y + ROW_HEADING - 6, section, "start", bold=True))
            y += ROW_HEADING
        short = label if len(label) <= ROW_LABEL_CHARS else label[: ROW_LABEL_CHARS - 1] + "…"
        chart.labels.append(
            Text(ROW_LEFT - 6, y + ROW_GAP // 2 + per_group * ROW_BAR // 2 + 4, short, "end")
        )
        for position, (name, column) in enumerate(series):
            chart.bars.append(
                Bar(
                    ROW_LEFT,
                    y + ROW_GAP // 2 + position * ROW_BAR,
                    _length(column[index], plot_width, scale),
                    ROW_BAR - 1,
                    FILLS[position],
                    f"{label}, {name}: {_figure(column[index], money)}",
                )
            )
        y += group_height
    ticks = [(ROW_LEFT, Decimal(0), "start")]
    if step is not None:
        ticks += [
            (ROW_LEFT + plot_width // 2, step, "middle"),
            (ROW_LEFT + plot_width, scale, "middle"),
        ]
    for x, value, anchor in ticks:
        chart.gridlines.append(Line(x, top, x, y))
        chart.ticks.append(Text(x, y + 16, _tick(value, money), anchor))
    chart.height = y + 22
    return chart
