"""PDF tables across and within pages: a table that runs over several pages with its header
row repeated at the top of each (whitespace-aligned, ruled, rule under the header only),
and two tables of the same width on one page. Every PDF is generated here with fpdf2, and
the rows are compared with the same records read from a Word table.

A Word table is one table in the file, read as pipe tables of at most MAX_TABLE_ROWS rows,
each with the header row once. A PDF table broken by pages gives one pipe table per page
(a passage cites one page), each with the header row once at its top, and the records in
order: the pages' rows together are the Word table's rows."""

from __future__ import annotations

import io

import docx
import pytest
from fpdf import FPDF

from ingest import PassageKind, read_bytes

HEADER = ["Activity", "Responsible", "Partners"]
INTRO = (
    "The county police command shall report every quarter to the county safety committee, "
    "which is chaired by the county commissioner and includes the youth council."
)


def _records(n: int) -> list[list[str]]:
    return [HEADER] + [
        [f"Activity number {i} of the plan", f"County office {i}", f"Partner association {i}"]
        for i in range(1, n + 1)
    ]


def _tables(data: bytes, filename: str) -> list[tuple[int | None, list[str]]]:
    doc = read_bytes(data, filename=filename)
    return [(p.page, p.text.split("\n")) for p in doc.passages if p.kind is PassageKind.table]


def _docx_tables(records: list[list[str]]) -> list[list[str]]:
    document = docx.Document()
    table = document.add_table(rows=len(records), cols=len(records[0]))
    for r, record in enumerate(records):
        for c, value in enumerate(record):
            table.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return [lines for _, lines in _tables(out.getvalue(), "t.docx")]


def _long_table_pdf(records: list[list[str]], layout: str) -> bytes:
    """A paragraph, then one fpdf2 table that breaks over pages with its header row repeated
    at the top of every page, then a closing line."""
    pdf = FPDF()
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 5, INTRO)
    pdf.ln(4)
    with pdf.table(col_widths=(60, 50, 60), width=170, borders_layout=layout) as table:
        for record in records:
            cells = table.row()
            for value in record:
                cells.cell(value)
    pdf.ln(4)
    pdf.multi_cell(0, 5, "Source: county records.")
    return bytes(pdf.output())


# NONE: whitespace-aligned; SINGLE_TOP_LINE: one rule under the header; ALL: a ruled grid;
# HORIZONTAL_LINES: rules between rows only (none over the header or under the last record).
@pytest.mark.parametrize("layout", ["NONE", "SINGLE_TOP_LINE", "ALL", "HORIZONTAL_LINES"])
def test_table_over_pages_with_repeated_header_gives_each_page_the_header_once(
    layout: str,
) -> None:
    # 130 records fill four pages: the header at the top of pages 2-4 stands in the running
    # header band on every page, and so do records that differ only by a number.
    records = _records(130)
    data = _long_table_pdf(records, layout)
    tables = _tables(data, "long.pdf")
    assert sorted({page or 0 for page, _ in tables}) == [1, 2, 3, 4]
    header, rule = "| " + " | ".join(HEADER) + " |", "|---|---|---|"
    assert all(lines[:2] == [header, rule] for _, lines in tables)
    body = [line for _, lines in tables for line in lines[2:]]
    word = [line for lines in _docx_tables(records) for line in lines[2:]]
    assert body == word  # every record once, in order: no header row among them
    assert len(body) == 130
    others = [p.text for p in read_bytes(data, filename="long.pdf").passages]
    assert not any("Activity number" in t for t in others if not t.startswith("| "))


_TOPICS = ["street lighting", "school transport", "market security", "youth sports"]


def test_a_running_header_in_two_cells_still_goes_when_a_body_row_shares_its_columns() -> None:
    # Title left, page number right, on every page; under a paragraph, a label and a value
    # start where the title and the page number start: the header heads no table.
    pdf = FPDF()
    pdf.set_auto_page_break(auto=False)
    for n, topic in enumerate(_TOPICS, start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=9)
        pdf.set_xy(20, 12)
        pdf.cell(80, 5, "Valdora Safety Assessment")
        pdf.set_xy(160, 12)
        pdf.cell(30, 5, f"Page {n}")
        pdf.set_font("Helvetica", size=11)
        pdf.set_xy(20, 24)
        pdf.multi_cell(170, 6, f"This page is about {topic}. {INTRO}")
        pdf.set_xy(20, pdf.get_y() + 2)
        pdf.cell(60, 6, "Budget line")
        pdf.set_xy(160, pdf.get_y())
        pdf.cell(30, 6, f"{n},250")
    texts = [p.text for p in read_bytes(bytes(pdf.output()), filename="r.pdf").passages]
    assert not any("Valdora Safety Assessment" in t or t.startswith("Page ") for t in texts)
    assert sum(t.startswith("This page is about") for t in texts) == len(_TOPICS)


def test_table_ruled_only_between_rows_keeps_its_header_and_last_record() -> None:
    records = _records(5)
    data = _long_table_pdf(records, "HORIZONTAL_LINES")
    assert [lines for _, lines in _tables(data, "t.pdf")] == _docx_tables(records)
    texts = [p.text for p in read_bytes(data, filename="t.pdf").passages]
    assert texts[0] == INTRO and texts[-1] == "Source: county records."


# --- two booktabs tables of the same width on one page --------------------------------------

_ACTIVITIES = [
    HEADER,
    ["Rider-marshal scheme", "County Police Command", "Boda Boda Riders' Association"],
    ["Child desk training", "CTCPU", "IOM; Directorate of Children's Services"],
    ["Quarterly briefing", "County Commander", "Office of the County Commissioner"],
]
_FORUMS = [
    ["Forum", "Chair", "Meets"],
    ["County safety committee", "County Commissioner", "Quarterly"],
    ["Ward peace forum", "Ward administrator", "Monthly"],
    ["Youth council", "Youth officer", "Every two months"],
]


def _two_booktabs_pdf(between: str, padding: float) -> bytes:
    """Two booktabs tables (a rule above and below the header, one at the end) with the
    same column widths, one under the other: six rules of one extent. Between them a
    paragraph, a short caption, or nothing but white."""
    pdf = FPDF()
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.set_xy(20, 20)
    pdf.multi_cell(170, 6, INTRO)
    widths, left = (50, 55, 65), 20.0
    right = left + sum(widths)

    def rule(y: float, width: float) -> None:
        pdf.set_line_width(width)
        pdf.line(left, y, right, y)

    def table(records: list[list[str]], y: float) -> float:
        rule(y, 0.3)
        y += 1.5
        for n, record in enumerate(records):
            pdf.set_font("Helvetica", style="B" if n == 0 else "", size=9)
            bottom, x = y, left
            for width, text in zip(widths, record, strict=True):
                pdf.set_xy(x, y)
                pdf.multi_cell(width - 3, 4.5, text)
                bottom = max(bottom, pdf.get_y())
                x += width
            y = bottom + padding
            if n == 0:
                rule(y, 0.15)
                y += 1.5
        rule(y, 0.3)
        return y

    y = table(_ACTIVITIES, pdf.get_y() + 6)
    pdf.set_font("Helvetica", size=11)
    if between == "paragraph":
        pdf.set_xy(20, y + 6)
        pdf.multi_cell(170, 6, "The forums below meet in the county hall. " + INTRO)
        y = pdf.get_y() + 6
    elif between == "caption":
        pdf.set_xy(20, y + 6)
        pdf.cell(60, 6, "Table 2: Forums")
        y += 16
    else:
        y += 10
    y = table(_FORUMS, y)
    pdf.set_font("Helvetica", size=11)
    pdf.set_xy(20, y + 6)
    pdf.multi_cell(170, 6, "Source: county records.")
    return bytes(pdf.output())


@pytest.mark.parametrize("padding", [1.5, 0.0], ids=["padded-records", "key-column"])
@pytest.mark.parametrize("between", ["white", "caption", "paragraph"])
def test_two_booktabs_tables_of_one_width_on_a_page_stay_two_tables(
    between: str, padding: float
) -> None:
    data = _two_booktabs_pdf(between, padding)
    passages = [(p.text, p.kind) for p in read_bytes(data, filename="two.pdf").passages]
    tables = [text.split("\n") for text, kind in passages if kind is PassageKind.table]
    assert tables == [*_docx_tables(_ACTIVITIES), *_docx_tables(_FORUMS)]
    others = [text for text, kind in passages if kind is not PassageKind.table]
    assert others[0] == INTRO and others[-1] == "Source: county records."
    assert not any("CTCPU" in t or "Ward peace forum" in t for t in others)
    if between == "caption":
        assert "Table 2: Forums" in others


def test_rules_under_every_row_with_a_wrapped_capitalised_first_cell_are_one_grid() -> None:
    # The wrapped line "Boda Stages of Kisima" starts in upper case like a record would; with
    # nothing parting the rules (no white, caption or paragraph) they are still one table.
    import pypdfium2 as pdfium
    from test_ingest_pdf_layout import _horizontal_rules_pdf

    from ingest._pdf_grid import page_rules
    from ingest._pdf_spans import page_spans, path_boxes
    from ingest._pdf_tables import _grids

    records = [
        HEADER,
        ["Rider-marshal scheme for Boda Boda Stages of Kisima", "County Police", "Riders"],
        ["Child desk training", "CTCPU", "IOM"],
        ["Quarterly briefing", "County Commander", "Office of the County Commissioner"],
    ]
    data = _horizontal_rules_pdf(records, padding=1.5, rule_every_row=True)
    page = pdfium.PdfDocument(data)[0]
    textpage = page.get_textpage()
    spans = page_spans(textpage, page.get_height())
    grids = _grids(*page_rules(path_boxes(page), page.get_height()), spans)
    assert len(grids) == 1
    assert grids[0].cells(spans)[1][0] == records[1][0]
    assert len(grids[0].ys) == len(records) + 1
