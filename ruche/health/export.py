"""The figures as data: the JSON export and the API answer the same payload; the CSV export
writes the same figures one per line."""

from django.utils.translation import gettext as _

from ruche.health.periods import Period
from ruche.health.services import Reading


def _period(period: Period) -> dict:
    return {
        "kind": period.kind,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "label": period.label,
    }


def payload(reading: Reading, previous: Reading, reports: list, threshold: int) -> dict:
    shown = reading.figures is not None
    return {
        "period": _period(reading.period),
        "previous_period": _period(previous.period),
        "segment": {
            "key": str(reading.segment),
            "kind": reading.segment.kind,
            "label": reading.label,
        },
        "shown": shown,
        "computed_at": reading.computed_at.isoformat() if reading.computed_at else None,
        "source": "snapshot" if reading.from_snapshot else "computed",
        "transverse_threshold": threshold,
        "metrics": [
            {
                "key": report.key,
                "title": report.title,
                "state": report.state,
                "rule": report.rule,
                "headline": vars(report.headline),
                "figures": [vars(figure) for figure in report.figures],
                "lists": [
                    {
                        "key": listed.key,
                        "label": listed.label,
                        "items": [vars(item) for item in listed.items],
                    }
                    for listed in report.lists
                ],
            }
            for report in reports
        ]
        if shown
        else [],
    }


def csv_rows(data: dict) -> list[list]:
    """One line per figure and per item of a list, each with its period and segment; text
    that a spreadsheet would run as a formula is defused."""
    period, segment = data["period"]["label"], data["segment"]["label"]
    rows = []
    for metric in data["metrics"]:
        for figure in [metric["headline"], *metric["figures"]]:
            rows.append(
                [
                    period,
                    segment,
                    metric["title"],
                    figure["label"],
                    figure["key"],
                    figure["unit"],
                    _cell(figure["value"]),
                    _cell(figure["previous"]),
                ]
            )
        for listed in metric["lists"]:
            for item in listed["items"]:
                rows.append(
                    [
                        period,
                        segment,
                        metric["title"],
                        _("%(list)s : %(item)s") % {"list": listed["label"], "item": item["label"]},
                        listed["key"],
                        "",
                        _cell(item["value"]),
                        "",
                    ]
                )
    return [[_defused(cell) for cell in row] for row in rows]


def _defused(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _cell(value) -> str:
    return "" if value is None else str(value)
