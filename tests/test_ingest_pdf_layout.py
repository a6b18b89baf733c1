"""PDF layout without residue: footnote markers and footnotes, running headers and page
numbers, ruled and whitespace tables, headings and cover lines kept apart, rules-only
table search. Every PDF is generated here with fpdf2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF

import ingest._pdf_tables as pdf_tables
from ingest import PassageKind, read_bytes
from ingest._pdf_grid import find_grids

BODY = (
    "The county police command shall report every quarter to the county safety committee, "
    "which is chaired by the county commissioner and includes the youth council."
)


def _pdf() -> FPDF:
    pdf = FPDF()
    pdf.set_auto_page_break(auto=False)
    return pdf


def _texts(data: bytes) -> list[tuple[str, PassageKind]]:
    return [(p.text, p.kind) for p in read_bytes(data, filename="x.pdf").passages]


def test_footnote_markers_leave_the_sentence_and_footnotes_their_own_passage() -> None:
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.set_xy(20, 30)
    pdf.write(6, "This circular is issued under section 10 of the National Police Act")
    pdf.char_vpos = "SUP"
    pdf.write(6, "1")
    pdf.char_vpos = "LINE"
    pdf.write(6, " and the Trafficking in Persons Act")
    pdf.char_vpos = "SUP"
    pdf.write(6, "2")
    pdf.char_vpos = "LINE"
    pdf.write(6, ", and sets out directions for the county commands. " + BODY)
    pdf.set_font("Helvetica", size=7)
    pdf.set_xy(20, 270)
    pdf.cell(
        0,
        4,
        "1 National Police Act, No. 11 of 2012, section 10(1)(c).",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_x(20)
    pdf.cell(0, 4, "2 Act No. 8 of 2016, sections 14 to 19.", new_x="LMARGIN", new_y="NEXT")
    passages = _texts(bytes(pdf.output()))
    body = [t for t, k in passages if k is PassageKind.text]
    assert any(
        "National Police Act and the Trafficking in Persons Act, and sets out" in t for t in body
    )
    notes = [t for t, k in passages if k is PassageKind.footnote]
    assert notes == [
        "1 National Police Act, No. 11 of 2012, section 10(1)(c).",
        "2 Act No. 8 of 2016, sections 14 to 19.",
    ]
    assert not any("No. 11 of 2012" in t for t in body)


def _running_pdf(pages: int) -> bytes:
    pdf = _pdf()
    for n in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=8)
        pdf.set_xy(20, 10)
        pdf.cell(80, 4, "Kivari County Integrated Plan 2023-2027")
        pdf.set_xy(150, 10)
        pdf.cell(40, 4, f"Chapter {n}")
        pdf.set_font("Helvetica", size=11)
        pdf.set_xy(20, 40)
        pdf.multi_cell(170, 6, f"Section {n} of the plan. " + BODY)
        pdf.set_font("Helvetica", size=8)
        pdf.set_xy(20, 282)
        pdf.cell(170, 4, f"- {n} -" if n % 2 else f"Page {n} of {pages}", align="C")
    return bytes(pdf.output())


def test_running_headers_and_page_numbers_dropped_by_position_and_repetition() -> None:
    passages = _texts(_running_pdf(4))
    texts = [t for t, _ in passages]
    assert not any("Integrated Plan" in t or "Chapter" in t for t in texts)
    assert not any(t.startswith(("- ", "Page ")) for t in texts)
    assert [t.split(".")[0] for t in texts] == [f"Section {n} of the plan" for n in range(1, 5)]


def test_a_margin_line_on_one_page_only_stays() -> None:
    pdf = _pdf()
    for n in range(1, 4):
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.set_xy(20, 10)
        pdf.cell(170, 5, f"Annex {n} lists the partners of the plan" if n == 2 else "Draft")
        pdf.set_xy(20, 40)
        pdf.multi_cell(170, 6, BODY)
    texts = [t for t, _ in _texts(bytes(pdf.output()))]
    assert "Annex 2 lists the partners of the plan" in texts
    assert "Draft" not in texts


def test_ruled_table_from_drawn_rules_and_no_grid_search_on_text_pages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.set_xy(20, 20)
    pdf.multi_cell(170, 6, BODY)
    pdf.set_xy(20, 50)
    rows = [
        ["Activity", "Responsible", "Partners"],
        ["Rider-marshal scheme", "County Police Command", "Boda Boda Riders' Association"],
        ["Child desk training", "CTCPU", "IOM; Directorate of Children's Services"],
        ["Quarterly briefing", "County Commander", "Office of the County Commissioner"],
    ]
    with pdf.table(col_widths=(50, 50, 70), width=170) as table:
        for row in rows:
            cells = table.row()
            for value in row:
                cells.cell(value)
    pdf.add_page()
    pdf.set_xy(20, 20)
    pdf.multi_cell(170, 6, BODY)
    data = bytes(pdf.output())

    searched: list[int] = []
    real = find_grids

    def counted(*rules: Any) -> Any:
        searched.append(1)
        return real(*rules)

    monkeypatch.setattr(pdf_tables, "find_grids", counted)
    doc = read_bytes(data, filename="ruled.pdf")
    tables = [p for p in doc.passages if p.kind is PassageKind.table]
    assert len(tables) == 1 and tables[0].page == 1
    assert tables[0].text.split("\n") == [
        "| Activity | Responsible | Partners |",
        "|---|---|---|",
        "| Rider-marshal scheme | County Police Command | Boda Boda Riders' Association |",
        "| Child desk training | CTCPU | IOM; Directorate of Children's Services |",
        "| Quarterly briefing | County Commander | Office of the County Commissioner |",
    ]
    assert not any("CTCPU" in p.text for p in doc.passages if p.kind is not PassageKind.table)
    assert searched == [1]  # the text-only page 2 draws no rules: no grid search there


def test_whitespace_table_with_multiline_cells() -> None:
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.set_xy(20, 20)
    pdf.multi_cell(170, 6, BODY)
    columns = (20, 75, 130)
    records = [
        [["Activity"], ["Responsible"], ["Timeline"]],
        [["Monthly forum", "meetings"], ["OCS, Kisima", "Police Station"], ["Monthly"]],
        [["Rider-marshal", "scheme"], ["County Police", "Command"], ["From June", "2024"]],
        [["School safety", "talks"], ["NAADSA"], ["Each term"]],
    ]
    y = 50.0
    for n, record in enumerate(records):
        pdf.set_font("Helvetica", style="B" if n == 0 else "", size=9)
        for x, lines in zip(columns, record, strict=True):
            for k, line in enumerate(lines):
                pdf.set_xy(x, y + 4 * k)
                pdf.cell(50, 4, line)
        y += 4 * max(len(lines) for lines in record) + 5
    passages = _texts(bytes(pdf.output()))
    tables = [t for t, k in passages if k is PassageKind.table]
    assert len(tables) == 1
    assert tables[0].split("\n") == [
        "| Activity | Responsible | Timeline |",
        "|---|---|---|",
        "| Monthly forum meetings | OCS, Kisima Police Station | Monthly |",
        "| Rider-marshal scheme | County Police Command | From June 2024 |",
        "| School safety talks | NAADSA | Each term |",
    ]


def test_numbered_paragraphs_beside_their_numbers_are_not_a_table() -> None:
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    y = 20.0
    for n in range(1, 5):
        pdf.set_xy(20, y)
        pdf.cell(10, 5, f"2.{n}")
        pdf.set_xy(32, y)
        pdf.multi_cell(150, 5, f"Clause {n}. " + BODY)
        y = pdf.get_y() + 4
    passages = _texts(bytes(pdf.output()))
    assert all(k is PassageKind.text for _, k in passages)
    assert [t[:12] for t, _ in passages] == [f"2.{n} Clause {n}" for n in range(1, 5)]


def test_cover_lines_and_headings_are_their_own_blocks() -> None:
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.set_xy(20, 60)
    pdf.multi_cell(170, 8, "Kivari County Office of Community Safety", align="C")
    pdf.set_font("Helvetica", size=11)
    pdf.set_xy(20, pdf.get_y() + 1)
    pdf.cell(170, 6, "Adopted", align="C")
    pdf.set_xy(20, 120)
    pdf.set_font("Helvetica", style="B", size=11)
    pdf.cell(170, 6, "Purpose of the strategy")
    pdf.set_font("Helvetica", size=11)
    pdf.set_xy(20, 127)
    pdf.multi_cell(170, 6, BODY)
    passages = _texts(bytes(pdf.output()))
    assert passages[0] == ("Kivari County Office of Community Safety", PassageKind.heading)
    assert passages[1][0] == "Adopted"
    assert passages[2] == ("Purpose of the strategy", PassageKind.heading)
    assert passages[3] == (BODY, PassageKind.text)


def test_labels_beside_values_far_apart_are_read_side_by_side() -> None:
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    left = ["United Nations Office", "on Drugs and Crime"]
    right = ["Bo Mathiasen", "Country Representative"]
    for k, (a, b) in enumerate(zip(left, right, strict=True)):
        pdf.set_xy(20, 30 + 5 * k)
        pdf.cell(60, 5, a)
        pdf.set_xy(120, 30 + 5 * k)
        pdf.cell(60, 5, b)
    pdf.set_xy(20, 60)
    pdf.multi_cell(170, 5, BODY)
    texts = [t for t, _ in _texts(bytes(pdf.output()))]
    assert texts == [
        "United Nations Office on Drugs and Crime",
        "Bo Mathiasen Country Representative",
        BODY,
    ]


def _scaled_font_pdf() -> bytes:
    """Every font set at size 1 and scaled by the text matrix, as some producers write."""
    lines = [(20, 760, "Office of Community Safety"), (11, 735, "Adopted by the council")]
    body_y = 700
    ops = [f"BT /F1 1 Tf {size} 0 0 {size} 72 {y} Tm ({text}) Tj ET" for size, y, text in lines]
    for k in range(4):
        ops.append(
            f"BT /F1 1 Tf 11 0 0 11 72 {body_y - 14 * k} Tm "
            f"(The county police command reports to the safety committee {k}.) Tj ET"
        )
    stream = "\n".join(ops).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_font_size_scaled_by_the_text_matrix_still_tells_headings() -> None:
    passages = _texts(_scaled_font_pdf())
    assert passages[0] == ("Office of Community Safety", PassageKind.heading)
    assert passages[1][0] == "Adopted by the council"
    assert passages[2][0].startswith("The county police command reports")


# --- corpus -----------------------------------------------------------------------------------


@pytest.mark.corpus
def test_corpus_circular_footnotes_and_two_columns(corpus_dir: Path) -> None:
    from ingest import read_document

    doc = read_document(corpus_dir / "scenario-ke" / "inputs" / "02_lnps_circular_14_2024.pdf")
    body = [p.text for p in doc.passages if p.kind is PassageKind.text]
    # Footnote markers 3 and 4 were glued into these sentences; the page-3 columns interleaved.
    assert any("in accordance with the Counter-Trafficking in Persons Act, 2016" in t for t in body)
    assert any(
        "in accordance with the Memorandum of Understanding between the Service and the "
        "Commission signed on 2 November 2022" in t
        for t in body
    )
    notes = [p.text for p in doc.passages if p.kind is PassageKind.footnote]
    assert any(t.startswith("3 Act No. 8 of 2016") for t in notes)
    assert not any("RESTRICTED" in p.text or p.text.startswith("- ") for p in doc.passages)
    annex = [p.text for p in doc.passages if p.kind is PassageKind.table and p.page == 5]
    assert annex and annex[0].startswith("| Activity | Responsible | In collaboration with |")


def test_ruled_table_broken_by_the_page_keeps_its_header_row() -> None:
    pdf = _pdf()
    parts = [
        [["Body", "Role"], ["County police command", "Lead"], ["Youth council", "Partner"]],
        [["Market vendors' association", "Partner"], ["Ministry of Interior", "Funder"]],
    ]
    for rows in parts:
        pdf.add_page()
        pdf.set_font("Helvetica", size=10)
        pdf.set_xy(20, 240 if rows is parts[0] else 20)
        with pdf.table(col_widths=(100, 70), width=170, first_row_as_headings=False) as table:
            for row in rows:
                cells = table.row()
                for value in row:
                    cells.cell(value)
    tables = [
        p
        for p in read_bytes(bytes(pdf.output()), filename="t.pdf").passages
        if p.kind is PassageKind.table
    ]
    assert [t.page for t in tables] == [1, 2]
    assert tables[1].text.split("\n") == [
        "| Body | Role |",
        "|---|---|",
        "| Market vendors' association | Partner |",
        "| Ministry of Interior | Funder |",
    ]


# --- tables ruled by horizontal lines only --------------------------------------------------

_BOOKTABS_RECORDS = [
    ["Activity", "Responsible", "Partners"],
    [
        "Rider-marshal scheme for the boda boda stages",
        "County Police Command",
        "Boda Boda Riders' Association",
    ],
    ["Child desk training", "CTCPU", "IOM; Directorate of Children's Services and the county"],
    ["Quarterly briefing", "County Commander", "Office of the County Commissioner"],
]
_BOOKTABS_ROWS = [
    "| Activity | Responsible | Partners |",
    "|---|---|---|",
    "| Rider-marshal scheme for the boda boda stages | County Police Command "
    "| Boda Boda Riders' Association |",
    "| Child desk training | CTCPU | IOM; Directorate of Children's Services and the county |",
    "| Quarterly briefing | County Commander | Office of the County Commissioner |",
]


def _docx_table_text(records: list[list[str]]) -> str:
    import io

    import docx

    document = docx.Document()
    table = document.add_table(rows=len(records), cols=len(records[0]))
    for r, record in enumerate(records):
        for c, value in enumerate(record):
            table.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    doc = read_bytes(out.getvalue(), filename="t.docx")
    return next(p.text for p in doc.passages if p.kind is PassageKind.table)


def _horizontal_rules_pdf(
    records: list[list[str]], *, padding: float, rule_every_row: bool = False, rules: bool = True
) -> bytes:
    """Body text, then a table whose only rules are horizontal: above and below the header
    and at the end (booktabs), or under every row. Cells wrap within narrow gutters (3 mm),
    closer than the whitespace-table reader separates columns; ``padding`` (mm) is the
    white between records on top of the line spacing. Without ``rules`` it is a
    whitespace table."""
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.set_xy(20, 20)
    pdf.multi_cell(170, 6, BODY)
    widths, left = (50, 55, 65), 20
    right = left + sum(widths)
    y = pdf.get_y() + 6

    def rule(y: float, width: float) -> None:
        if rules:
            pdf.set_line_width(width)
            pdf.line(left, y, right, y)

    rule(y, 0.3)
    y += 1.5
    for n, record in enumerate(records):
        pdf.set_font("Helvetica", style="B" if n == 0 else "", size=9)
        bottom = y
        x = left
        for width, text in zip(widths, record, strict=True):
            pdf.set_xy(x, y)
            pdf.multi_cell(width - 3, 4.5, text)
            bottom = max(bottom, pdf.get_y())
            x += width
        y = bottom + padding
        if n < len(records) - 1 and (n == 0 or rule_every_row):
            rule(y, 0.15)
            y += 1.5
    rule(y, 0.3)
    pdf.set_font("Helvetica", size=11)
    pdf.set_xy(20, y + 6)
    pdf.multi_cell(170, 6, "Source: county records. " + BODY)
    return bytes(pdf.output())


@pytest.mark.parametrize(
    ("padding", "rule_every_row", "rules"),
    [
        (1.5, False, True),
        (0.0, False, True),
        (1.5, True, True),
        (1.5, False, False),
        (0.0, False, False),
    ],
    ids=[
        "booktabs-padded-records",
        "booktabs-key-column",
        "rule-under-every-row",
        "whitespace-narrow-gutters-padded",
        "whitespace-narrow-gutters-key-column",
    ],
)
def test_table_ruled_by_horizontal_lines_only_or_none(
    padding: float, rule_every_row: bool, rules: bool
) -> None:
    records = _BOOKTABS_RECORDS
    if padding == 0.0:  # without padding, a record's wrapped lines leave the first cell empty
        records = [r if i != 1 else ["Rider-marshal", *r[1:]] for i, r in enumerate(records)]
    data = _horizontal_rules_pdf(
        records, padding=padding, rule_every_row=rule_every_row, rules=rules
    )
    passages = _texts(data)
    tables = [t for t, k in passages if k is PassageKind.table]
    expected = list(_BOOKTABS_ROWS)
    if padding == 0.0:
        expected[2] = expected[2].replace(" scheme for the boda boda stages", "")
    assert [t.split("\n") for t in tables] == [expected]
    assert tables == [_docx_table_text(records)]  # the same rows as the Word table
    others = [t for t, k in passages if k is not PassageKind.table]
    assert others[0] == BODY and others[1].startswith("Source: county records.")
    assert not any("CTCPU" in t or "Responsible" in t for t in others)


def test_rules_around_two_columns_of_prose_are_not_a_table() -> None:
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.set_line_width(0.3)
    for y in (20, 28, 200):
        pdf.line(20, y, 190, y)
    pdf.set_xy(20, 22)
    pdf.cell(170, 5, "Chapter 2: the partners of the plan")
    for x in (20, 110):
        pdf.set_xy(x, 32)
        pdf.multi_cell(80, 5, " ".join([BODY] * 3))
    passages = _texts(bytes(pdf.output()))
    assert all(k is not PassageKind.table for _, k in passages)
    assert sum(t.count("county police command") for t, _ in passages) == 6


# --- form fields ----------------------------------------------------------------------------

_FORM_BODY = (
    "The Sacramento Police Department reviews every permit with the Sacramento City Council."
)
_FORM_LABELS = (
    "BUSINESS NAME",
    "Name:",
    "Signature:",
    "Yes",
    "Commercial",
    "Page 1 of 42",
    "ALARM MONITORING COMPANY",
    "Responding Agency",
    "Security Office",
)


def _form_pdf() -> bytes:
    """A policy page whose annex is a permit form: a title with its page count glued on,
    blanks drawn as underscores and as rules, checkboxes, labels over blanks."""
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.set_xy(20, 20)
    pdf.multi_cell(170, 6, BODY)
    pdf.set_font("Helvetica", style="B", size=11)
    pdf.set_xy(20, 50)
    pdf.cell(170, 6, "ALARM PERMIT APPLICATION Page 1 of 42")
    pdf.set_font("Helvetica", size=10)
    lines = [
        (20, 62, "BUSINESS NAME"),
        (20, 68, "______________________________________"),
        (20, 78, "Name: ____________________   Date: ____________"),
        (20, 86, "Address: ..............................................."),
        (20, 94, "[ ] Yes   [ ] No   The premises had a false alarm this year"),
        (20, 102, "☐ Residential   ☐ Commercial"),
        (20, 112, "Signature:"),
        (20, 120, "ALARM MONITORING COMPANY"),
        (20, 126, "Responding Agency: ______________   Security Office: ______________"),
    ]
    for x, y, text in lines:
        pdf.set_xy(x, y)
        if "☐" in text:
            pdf.add_font("dejavu", fname=_dejavu())
            pdf.set_font("dejavu", size=10)
        pdf.cell(170, 5, text)
        pdf.set_font("Helvetica", size=10)
    pdf.line(45, 116, 120, 116)  # the signature's blank is a drawn rule
    pdf.set_font("Helvetica", size=11)
    pdf.set_xy(20, 140)
    pdf.multi_cell(170, 6, "Partners: " + _FORM_BODY)
    return bytes(pdf.output())


def _dejavu() -> str:
    import glob

    found = glob.glob("/usr/share/fonts/**/DejaVuSans.ttf", recursive=True)
    if not found:
        pytest.skip("no DejaVuSans.ttf to print a checkbox glyph")
    return found[0]


def test_form_fields_and_their_labels_never_enter_a_passage() -> None:
    passages = _texts(_form_pdf())
    texts = [t for t, _ in passages]
    assert texts[0] == BODY
    assert texts[-1] == "Partners: " + _FORM_BODY
    assert "ALARM PERMIT APPLICATION" in texts
    for label in _FORM_LABELS:
        assert not any(label in t for t in texts), (label, texts)
    assert not any("___" in t or "...." in t or "[ ]" in t for t in texts)


def test_form_labels_are_never_actors() -> None:
    from nlp import extract_document

    batch = extract_document(read_bytes(_form_pdf(), filename="form.pdf"))
    names = {e.name for e in batch.entities}
    assert "Sacramento Police Department" in names
    assert not any(
        label.rstrip(":").lower() in name.lower() for name in names for label in _FORM_LABELS
    ), names
