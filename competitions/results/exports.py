"""Result exports: JSON (as docs/contest-package.md describes), CSV, .xlsx and a PDF table.

Spreadsheet cells go through ``competitions.sheets.writer``, which keeps text a
spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` …) inert.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from ..contests.models import Competition, Event
from ..labels import label
from ..pdf.table import Column, TableDocument, render_table
from ..sheets.writer import write_csv, write_xlsx
from .services import event_results
from .tables import award_name, result_rows, results_status


def event_results_json(event: Event) -> dict[str, Any]:
    """One event's results in the export's shape (two decimals, half up, as text)."""
    results = []
    for row in result_rows(event):
        if row.ranked:
            results.append(
                {
                    "entry": row.ref,
                    "number": row.number,
                    "total": row.total,
                    "rank": row.rank,
                    "award": row.award,
                    "sections": dict(row.sections),
                }
            )
        else:
            results.append(
                {
                    "entry": row.ref,
                    "number": row.number,
                    "total": None,
                    "rank": None,
                    "award": None,
                    "status": row.status,
                }
            )
    return {"code": event.code, "status": results_status(event), "results": results}


def competition_results_json(competition: Competition) -> dict[str, Any]:
    """Every event's results of a competition, in event order. Raises ScoringError."""
    return {
        "competition": competition.code,
        "events": [event_results_json(event) for event in competition.events],
    }


def dumps_results(competition: Competition) -> str:
    """The JSON results export as text (UTF-8 characters kept, ending in a newline)."""
    return json.dumps(competition_results_json(competition), ensure_ascii=False, indent=2) + "\n"


def _headers(event: Event, locale: str) -> list[str]:
    sections = [f"{s.name(locale) or s.code} ({s.code})" for s in event.sections]
    return [
        _("Rank"),
        _("Number"),
        _("Entry"),
        _("Name"),
        _("Employer"),
        *sections,
        _("Total"),
        _("Award"),
        _("Status"),
    ]


def _rows(event: Event, locale: str) -> list[list[object]]:
    results = event_results(event)
    rows = []
    for row in result_rows(event, results):
        rows.append(
            [
                row.rank,
                row.number,
                row.ref,
                row.name,
                row.employer,
                *(Decimal(row.sections[s.code]) for s in event.sections),
                Decimal(row.total) if row.total is not None else None,
                award_name(results, row.award, locale),
                label(row.status),
            ]
        )
    return rows


def competition_xlsx(competition: Competition, locale: str) -> bytes:
    """An .xlsx workbook: a summary sheet, then a sheet per event."""
    with force_locale(locale):
        summary_rows = []
        for event in competition.events:
            results = event_results(event)
            ranked = [r for r in results.results if r.ranked]
            awarded = sum(1 for r in ranked if r.award)
            summary_rows.append(
                [
                    event.code,
                    event.name(locale),
                    label(event.status),
                    len(ranked),
                    len(results.results) - len(ranked),
                    awarded,
                    event.publicity_ends_on,
                ]
            )
        sheets = [
            (
                _("Summary"),
                [
                    _("Event code"),
                    _("Event"),
                    _("Status"),
                    _("Ranked entries"),
                    _("Not ranked"),
                    _("Awards"),
                    _("Publicity period ends"),
                ],
                summary_rows,
            )
        ]
        for event in competition.events:
            sheets.append((event.code, _headers(event, locale), _rows(event, locale)))
        return write_xlsx(sheets)


def competition_csv(competition: Competition, locale: str) -> bytes:
    """One CSV table of every event's results, the event code in the first column."""
    with force_locale(locale):
        headers = [
            _("Event code"),
            _("Rank"),
            _("Number"),
            _("Entry"),
            _("Name"),
            _("Employer"),
            _("Sections"),
            _("Total"),
            _("Award"),
            _("Status"),
        ]
        rows = []
        for event in competition.events:
            results = event_results(event)
            for row in result_rows(event, results):
                sections = "; ".join(f"{code} {score}" for code, score in row.sections.items())
                rows.append(
                    [
                        event.code,
                        row.rank,
                        row.number,
                        row.ref,
                        row.name,
                        row.employer,
                        sections,
                        Decimal(row.total) if row.total is not None else None,
                        award_name(results, row.award, locale),
                        label(row.status),
                    ]
                )
        return write_csv(headers, rows)


def event_pdf(event: Event, locale: str) -> bytes:
    """A printable results table of one event in ``locale`` (zh or en).

    Raises ``MissingGlyphError`` or ``FontNotFoundError`` from the PDF renderer.
    """
    with force_locale(locale):
        results = event_results(event)
        sections = list(event.sections)
        columns = (
            Column(_("Rank"), 0.8, "center"),
            Column(_("Number"), 1.1, "center"),
            Column(_("Name"), 1.2),
            Column(_("Employer"), 2.7),
            *(Column(s.name(locale) or s.code, 1, "right") for s in sections),
            Column(_("Total"), 1, "right"),
            Column(_("Award"), 1.5, "center"),
        )
        rows = []
        for row in result_rows(event, results):
            rows.append(
                (
                    str(row.rank) if row.rank is not None else "—",
                    row.number or "",
                    row.name,
                    row.employer,
                    *(row.sections[s.code] if row.ranked else "—" for s in sections),
                    row.total if row.total is not None else label(row.status),
                    award_name(results, row.award, locale),
                )
            )
        status = {
            "provisional": _("Provisional results"),
            "published": _("Results in publicity until %(date)s", date=event.publicity_ends_on),
            "final": _("Final results"),
        }[results_status(event)]
        return render_table(
            TableDocument(
                title=f"{event.competition.name(locale)} · {event.name(locale)}",
                subtitle=status,
                columns=columns,
                rows=tuple(rows),
                footer=_("Chief judge: ____________    Organiser: ____________"),
                landscape=len(sections) > 2,
            )
        )
