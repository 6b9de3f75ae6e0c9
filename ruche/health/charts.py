"""Bar charts drawn on the server as SVG (readable without JavaScript): the geometry is worked
out here, the template only writes it down. Each chart comes with a table of the same values
for screen readers and for anyone who prefers numbers."""

import math

from ruche.health.enums import Unit

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 12, 36


def _ceiling(value: float) -> float:
    """A round top for the axis: 1, 2 or 5 times a power of ten, at least `value`."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def tick_text(value: float, unit: str) -> str:
    if unit == Unit.RATIO:
        return f"{round(value * 100)} %"
    return f"{value:g}"


def bar_chart(points: list[tuple[str, float | None]], unit: str) -> dict:
    """`points` are (axis label, value or None); None is drawn as a gap."""
    values = [value for _label, value in points if value is not None]
    top = 1.0 if unit == Unit.RATIO else _ceiling(max(values, default=0))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(points), 1)
    bars = []
    for index, (label, value) in enumerate(points):
        height = 0 if value is None else plot_height * min(value / top, 1)
        bars.append(
            {
                "x": round(LEFT + index * slot + slot * 0.15, 1),
                "width": round(slot * 0.7, 1),
                "y": round(TOP + plot_height - height, 1),
                "height": round(height, 1),
                "label": label,
                "label_x": round(LEFT + index * slot + slot / 2, 1),
                "missing": value is None,
            }
        )
    ticks = [
        {"y": round(TOP + plot_height * (1 - share), 1), "text": tick_text(top * share, unit)}
        for share in (0, 0.5, 1)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": TOP + plot_height,
        "label_y": HEIGHT - BOTTOM + 20,
        "bars": bars,
        "ticks": ticks,
    }
