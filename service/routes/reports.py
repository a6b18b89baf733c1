"""The coordination-gap summary report as a download (Markdown, HTML or DOCX)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from graph_schema.model import ActorLevel
from reporting import MEDIA_TYPES, ReportFormat, build_report, gather_report_inputs, render_report
from reporting.locale import ReportLanguage, dominant_language

from ..deps import ReadKey, StoreDep
from ..query_params import single_valued_query
from .gaps import Theme

__all__ = ["router"]

router = APIRouter(tags=["analysis"], dependencies=[Depends(single_valued_query)])


def attachment(stem: str, extension: str) -> dict[str, str]:
    """Content-Disposition with a filename safe in any header (theme ids carry ':')."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-") or "report"
    return {"Content-Disposition": f'attachment; filename="{safe}.{extension}"'}


@router.get(
    "/reports/coordination-gaps",
    summary="Coordination-gap summary report (md, html or docx)",
    description="Scope and sources, then per theme: actors by level, a network figure, the "
    "ranked gap findings with their explanation and quotes (document and page/turn), a "
    "methodology section and an annex of sources. Only evidence stored in the graph is "
    "quoted. HTML is one self-contained page; Markdown embeds figures as data URIs.",
    response_class=Response,
    responses={
        200: {
            "content": {m.split(";")[0]: {} for m in MEDIA_TYPES.values()},
            "description": "The report file",
        }
    },
)
def get_coordination_gap_report(
    _: ReadKey,
    store: StoreDep,
    format: Annotated[ReportFormat, Query(description="md, html or docx")] = ReportFormat.html,
    # The same closed vocabulary as /gaps: an unknown theme is a 422 listing the valid ids,
    # never an empty export or a report "covering" a theme nobody has (issue 12).
    theme: Theme = None,
    level: Annotated[
        list[ActorLevel] | None, Query(description="Keep only actors at these levels")
    ] = None,
    min_score: Annotated[float, Query(ge=0.0, le=1.0)] = 0.3,
    lang: Annotated[
        ReportLanguage | None,
        Query(description="Report language; default the language most documents are in"),
    ] = None,
) -> Response:
    inputs, documents, filters = gather_report_inputs(
        store,
        theme=theme,
        levels=[lv.value for lv in level] if level else None,
        min_score=min_score,
    )
    report = build_report(
        inputs,
        documents,
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        filters=filters,
        lang=lang or dominant_language(d.language for d in documents),
    )
    body = render_report(report, format)
    stem = f"coordination-gaps-{theme}" if theme else "coordination-gaps"
    return Response(
        content=body, media_type=MEDIA_TYPES[format], headers=attachment(stem, format.value)
    )
