"""CorpusReport <-> JSON-able dict, so the Django side can store reports in a JSONField."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from .model import (
    CorpusReport,
    DimensionReport,
    Pattern,
    QuarterFigures,
    ResponseLagFigures,
)

FORMAT_VERSION = 1


def report_to_dict(report: CorpusReport) -> dict[str, Any]:
    """A dict of plain lists, dicts, strings and numbers; ``report_from_dict`` inverts it."""
    data = asdict(report)
    data["format_version"] = FORMAT_VERSION
    return data


def report_from_dict(data: Mapping[str, Any]) -> CorpusReport:
    """Rebuild a CorpusReport from ``report_to_dict`` output (also after a JSON round trip)."""
    version = data.get("format_version", FORMAT_VERSION)
    if version > FORMAT_VERSION:
        raise ValueError(f"report format {version} is newer than this code ({FORMAT_VERSION})")
    return CorpusReport(
        root_causes=_dimension(data.get("root_causes") or {}),
        detection_gaps=_dimension(data.get("detection_gaps") or {}),
        response_lags=_dimension(data.get("response_lags") or {}),
        postmortems=int(data.get("postmortems", 0)),
        response_figures=_figures(data.get("response_figures") or {}),
        quarter=str(data.get("quarter", "")),
        previous_figures=tuple(
            QuarterFigures(quarter=str(item["quarter"]), figures=_figures(item["figures"]))
            for item in data.get("previous_figures") or ()
        ),
    )


def _dimension(data: Mapping[str, Any]) -> DimensionReport:
    return DimensionReport(
        patterns=tuple(_pattern(p) for p in data.get("patterns") or ()),
        one_offs=tuple(str(s) for s in data.get("one_offs") or ()),
    )


def _pattern(data: Mapping[str, Any]) -> Pattern:
    median = data.get("median_minutes")
    return Pattern(
        label=str(data["label"]),
        terms=tuple(str(t) for t in data.get("terms") or ()),
        members=tuple(str(m) for m in data.get("members") or ()),
        evidence={str(k): str(v) for k, v in (data.get("evidence") or {}).items()},
        recurring_quarters=int(data.get("recurring_quarters", 1)),
        concepts=tuple(str(c) for c in data.get("concepts") or ()),
        median_minutes=float(median) if median is not None else None,
        key=str(data.get("key", "")),
        confidence={str(k): float(v) for k, v in (data.get("confidence") or {}).items()},
        anchors={str(k): str(v) for k, v in (data.get("anchors") or {}).items()},
        confirmed=tuple(str(s) for s in data.get("confirmed") or ()),
    )


def _figures(data: Mapping[str, Any]) -> ResponseLagFigures:
    ack = data.get("median_page_to_ack")
    mitigation = data.get("median_page_to_mitigation")
    return ResponseLagFigures(
        median_page_to_ack=float(ack) if ack is not None else None,
        median_page_to_mitigation=float(mitigation) if mitigation is not None else None,
        counted=int(data.get("counted", 0)),
    )
