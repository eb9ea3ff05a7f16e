"""The documents engine: Word (DOCX) files people print, sign and file.

Builds documents with python-docx in the usual layout of Russian official papers (Times New Roman
14, margins 3/1.5/2/2 cm, justified text). Pure formatting, no database.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from django.http import HttpResponse
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Month names as a calendar heading shows them («Январь 2027»).
MONTHS = [
    "Январь",
    "Февраль",
    "Март",
    "Апрель",
    "Май",
    "Июнь",
    "Июль",
    "Август",
    "Сентябрь",
    "Октябрь",
    "Ноябрь",
    "Декабрь",
]

MONTHS_GENITIVE = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]


def russian_date(day: date | None) -> str:
    """«5 сентября 2026 г.»"""
    if day is None:
        return "«___» ____________ 20__ г."
    return f"«{day.day}» {MONTHS_GENITIVE[day.month - 1]} {day.year} г."


def new_document(*, landscape: bool = False) -> Document:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    style.paragraph_format.space_after = Pt(0)
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = Cm(3 if not landscape else 2)
    section.right_margin = Cm(1.5)
    section.top_margin = Cm(2)
    section.bottom_margin = Cm(2)
    return document


def paragraph(
    document,
    text: str = "",
    *,
    bold: bool = False,
    align: str = "justify",
    size: int | None = None,
    indent: bool = False,
    italic: bool = False,
):
    para = document.add_paragraph()
    para.alignment = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
    }[align]
    if indent:
        para.paragraph_format.first_line_indent = Cm(1.25)
    run = para.add_run(text)
    run.bold = bold
    run.italic = italic
    if size:
        run.font.size = Pt(size)
    return para


def table(
    document,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    widths_cm: Sequence[float] | None = None,
    font_size: int = 11,
):
    """A bordered table with a bold header row that repeats on every page."""
    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    header_cells = grid.rows[0].cells
    for cell, text in zip(header_cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(text))
        run.bold = True
        run.font.size = Pt(font_size)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    header_row = grid.rows[0]._tr
    properties = header_row.get_or_add_trPr()
    repeat = properties.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    properties.append(repeat)
    for row in rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run("" if text is None else str(text))
            run.font.size = Pt(font_size)
    if widths_cm:
        for row in grid.rows:
            for cell, width in zip(row.cells, widths_cm, strict=True):
                cell.width = Cm(width)
    return grid


def signature_block(document, position: str, name: str = "") -> None:
    document.add_paragraph()
    para = document.add_paragraph()
    para.add_run(f"{position}").bold = False
    para.add_run("\t\t_______________ / " + (name or "____________________") + " /")


def document_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_response(document, filename: str) -> HttpResponse:
    from nastavnik.xlsx import _attachment

    response = HttpResponse(document_bytes(document), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = _attachment(filename)
    return response


def document_text(content: bytes) -> str:
    """All text of a DOCX, paragraphs and table cells, one per line (for tests and previews)."""
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for grid in document.tables:
        for row in grid.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


class Points:
    """Numbered points of an order: «1.», «2.», sub-points «2.1.»."""

    def __init__(self, document):
        self.document = document
        self.number = 0

    def add(self, text: str) -> int:
        self.number += 1
        paragraph(self.document, f"{self.number}. {text}", indent=True)
        return self.number

    def sub(self, parent: int, index: int, text: str) -> None:
        paragraph(self.document, f"{parent}.{index}. {text}", indent=True)
