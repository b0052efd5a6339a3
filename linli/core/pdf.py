"""PDF documents with Chinese text (notices for the board, minutes, statements).

fpdf2 writes the PDF; the Noto Sans SC font comes from a PyPI package so that no system font
has to be installed. Only the glyphs used are embedded, which keeps a one-page notice small.
"""

import logging
from functools import cache

from fpdf import FPDF
from pylopdf_fonts_zh_cn import sans_path

FONT = "NotoSansSC"
# fontTools logs every table it prunes while subsetting, at INFO, once per document.
logging.getLogger("fontTools").setLevel(logging.WARNING)


@cache
def _font_path():
    return str(sans_path())


def document(title=""):
    """A blank A4 portrait document with the Chinese font selected at body size."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font(FONT, "", _font_path())
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font(FONT, size=12)
    return pdf


def heading(pdf, text, size=18):
    pdf.set_font(FONT, size=size)
    pdf.multi_cell(0, size * 0.6, text, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, size=12)


def paragraph(pdf, text):
    pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def as_bytes(pdf):
    return bytes(pdf.output())
