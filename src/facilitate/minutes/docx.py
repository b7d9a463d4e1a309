"""Word (.docx) writer for export documents, with python-docx (imported only when used)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from pendulum import DateTime

from .blocks import (
    Banner,
    BulletList,
    Document,
    Figure,
    Heading,
    ListItem,
    NumberedList,
    Paragraph,
    Table,
    safe,
)

# Characters XML 1.0 cannot hold (python-docx would raise on them).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _XML_INVALID.sub("", safe(text))


def to_docx(doc: Document, *, created: DateTime | None = None) -> bytes:
    """The document as .docx bytes: headings, tables, and the banner in every page header."""
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Inches, Pt, RGBColor

    out = docx.Document()
    props = out.core_properties
    props.title = _xml_text(" ".join(doc.title.split()))[:250]
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.keywords = "confidential" if doc.confidential else ""
    props.revision = 1
    if created is not None:
        stamp = created.in_timezone("UTC").naive()
        props.created = stamp
        props.modified = stamp

    red = RGBColor(0xAA, 0x00, 0x00)
    # Style ids looked up once: python-docx resolves style names slowly on every paragraph.
    style_ids = {st.name: st.style_id for st in out.styles}

    def paragraph(style: str | None = None) -> Any:
        para = out.add_paragraph()
        if style is not None:
            para._p.style = style_ids.get(style, style.replace(" ", ""))
        return para

    def banner(text: str) -> None:
        para = paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = para.add_run(_xml_text(text))
        run.bold = True
        run.font.size = Pt(14)
        run.font.color.rgb = red

    def add_table(block: Table) -> None:
        table = out.add_table(rows=1, cols=len(block.header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        for cell, text in zip(table.rows[0].cells, block.header, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(_xml_text(text))
            run.bold = True
        for row in block.rows:
            cells = table.add_row().cells
            for n, cell in enumerate(cells):
                value = row[n] if n < len(row) else ""
                cell.text = _xml_text(value)
                if n in block.numeric:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph()

    section = out.sections[0]
    if doc.confidential and doc.banner:
        header = section.header
        header.is_linked_to_previous = False
        first = header.paragraphs[0]
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = first.add_run(_xml_text(doc.banner))
        run.bold = True
        run.font.color.rgb = red
    if doc.footer or doc.confidential:
        footer = section.footer
        footer.is_linked_to_previous = False
        line = footer.paragraphs[0]
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if doc.footer:
            line.add_run(_xml_text(" ".join(doc.footer.split())) + " · ")
        line.add_run("Page ")
        _field(line, "PAGE")
        line.add_run(" of ")
        _field(line, "NUMPAGES")
        if doc.confidential and doc.banner:
            marked = footer.add_paragraph()
            marked.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = marked.add_run(_xml_text(doc.banner))
            run.bold = True
            run.font.color.rgb = red

    for block in doc.blocks:
        if isinstance(block, Banner):
            banner(block.text)
        elif isinstance(block, Heading):
            level = 0 if block.level <= 1 else min(block.level - 1, 4)
            heading = paragraph("Title" if level == 0 else f"Heading {level}")
            heading.add_run(_xml_text(" ".join(block.text.split())))
        elif isinstance(block, Paragraph):
            _add_runs(paragraph(), block)
        elif isinstance(block, BulletList):
            for item in block.items:
                _add_runs(paragraph("List Bullet"), item)
        elif isinstance(block, NumberedList):
            for entry in block.items:
                _add_runs(paragraph("List Number"), entry.para)
                _add_children(paragraph, entry.children, 2)
        elif isinstance(block, Figure):
            out.add_picture(io.BytesIO(block.png), width=Inches(6.2))
            # Alt text for screen readers (python-docx has no public setter for it).
            frame = out.inline_shapes[-1]._inline.docPr
            frame.set("title", _xml_text(block.title))
            frame.set("descr", _xml_text(block.description))
            paragraph("Caption").add_run(_xml_text(block.title))
            add_table(block.table)
        elif isinstance(block, Table):
            add_table(block)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _field(para: Any, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = para.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, shown, end):
        run._r.append(element)


def _add_runs(para: Any, block: Paragraph) -> None:
    for item in block.runs:
        run = para.add_run(_xml_text(item.text))
        run.bold = item.bold or None
        run.italic = item.italic or None


def _add_children(
    paragraph: Callable[[str | None], Any], children: tuple[ListItem, ...], level: int
) -> None:
    for child in children:
        style = "List Bullet" if level <= 1 else f"List Bullet {min(level, 3)}"
        _add_runs(paragraph(style), child.para)
        _add_children(paragraph, child.children, level + 1)


def read_docx_text(data: bytes) -> tuple[list[str], list[list[list[str]]], list[str]]:
    """Paragraph texts, table cell texts and header texts of a .docx (for tests and checks)."""
    import docx

    document = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    headers = [p.text for s in document.sections for p in s.header.paragraphs]
    return paragraphs, tables, headers


def read_docx_footers(data: bytes) -> tuple[list[str], list[str]]:
    """Footer texts, and the field codes (PAGE, NUMPAGES) in the footers."""
    import docx

    document = docx.Document(io.BytesIO(data))
    texts: list[str] = []
    codes: list[str] = []
    for section in document.sections:
        for para in section.footer.paragraphs:
            texts.append(para.text)
            codes += [
                el.text.strip()
                for el in para._p.iter()
                if el.tag.endswith("}instrText") and el.text
            ]
    return texts, codes
