"""Builders for the ingest tests' own fixtures: PDFs, DOCX files, images. No corpus files."""

from __future__ import annotations

import io
from collections.abc import Sequence

from fpdf import FPDF
from PIL import Image, ImageDraw

__all__ = [
    "PARAGRAPH",
    "docx_bytes",
    "image_pdf_page",
    "pdf_bytes",
    "table_pdf",
    "two_column_pdf",
]

PARAGRAPH = (
    "The municipal Office for Community Safety coordinates the violence prevention plan "
    "with the national police and the youth centres. The plan is reviewed every year by "
    "the city council, and the ministry of the interior is invited to each session."
)


class _Doc(FPDF):
    def __init__(self, header_text: str | None) -> None:
        super().__init__()
        self.header_text = header_text
        self.set_auto_page_break(auto=True, margin=20)

    def header(self) -> None:
        if self.header_text:
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, self.header_text, new_x="LMARGIN", new_y="NEXT")
            self.ln(4)

    def footer(self) -> None:
        if self.header_text:
            self.set_y(-15)
            self.set_font("Helvetica", size=8)
            self.cell(0, 10, f"Page {self.page_no()}", align="C")


def pdf_bytes(
    pages: Sequence[Sequence[str]],
    *,
    header: str | None = None,
    image_pages: Sequence[int] = (),
    user_password: str | None = None,
) -> bytes:
    """One PDF page per entry, each a list of paragraphs; ``image_pages`` (0-based) hold
    only a picture of text, as a scan would."""
    pdf = _Doc(header)
    for index, paragraphs in enumerate(pages):
        pdf.add_page()
        if index in image_pages:
            pdf.image(image_pdf_page(), x=10, y=20, w=180)
            continue
        for paragraph in paragraphs:
            if paragraph.isupper() or paragraph[:2].rstrip(".").isdigit():
                pdf.set_font("Helvetica", style="B", size=13)
            else:
                pdf.set_font("Helvetica", size=11)
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    if user_password is not None:
        pdf.set_encryption(owner_password="owner-secret", user_password=user_password)
    return bytes(pdf.output())


def image_pdf_page() -> Image.Image:
    image = Image.new("L", (800, 300), color=255)
    ImageDraw.Draw(image).text((20, 20), "Scanned page: text as pixels only", fill=0)
    return image


def table_pdf(rows: Sequence[Sequence[str]], *, intro: str = PARAGRAPH) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 6, intro, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    with pdf.table() as table:
        for row in rows:
            cells = table.row()
            for value in row:
                cells.cell(value)
    pdf.ln(4)
    pdf.multi_cell(0, 6, "Source: municipal records.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def two_column_pdf(left: Sequence[str], right: Sequence[str]) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for x, paragraphs in ((10, left), (110, right)):
        pdf.set_xy(x, 20)
        for paragraph in paragraphs:
            pdf.set_x(x)
            pdf.multi_cell(85, 5, paragraph, new_x="LEFT", new_y="NEXT")
            pdf.ln(3)
    return bytes(pdf.output())


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = "District Safety Strategy"
    document.add_heading("District Safety Strategy", level=1)
    document.add_paragraph(PARAGRAPH)
    document.add_heading("1. Partners", level=2)
    table = document.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate(
        [("Actor", "Role"), ("City council", "Lead"), ("National police", "Partner")]
    ):
        table.cell(r, 0).text = a
        table.cell(r, 1).text = b
    document.add_paragraph("The strategy is financed by the city.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
