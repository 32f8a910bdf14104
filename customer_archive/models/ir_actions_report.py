import functools
import io
import logging
import subprocess

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from odoo import api, models
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

_logger = logging.getLogger(__name__)

ARCHIVE_CARD_REPORT = "customer_archive.report_customer_archive_card"
# A Simplified Chinese face with TrueType outlines (Debian fonts-wqy-microhei):
# text drawn with it stays text in the PDF (searchable, copyable), where the
# Japanese Noto CJK face copies as Kangxi radicals.
CARD_FONT_FAMILY = "WenQuanYi Micro Hei"
CARD_FONT_NAME = "CustomerArchiveCardFont"
MM = 72 / 25.4


@functools.cache
def _wkhtmltopdf_has_patched_qt():
    """Official wkhtmltopdf builds say "(with patched qt)" in their version and
    print --header-html / --footer-html; Debian's build ignores both."""
    try:
        version = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"], capture_output=True, check=False, timeout=30
        ).stdout.decode(errors="replace")
    except (OSError, subprocess.SubprocessError):
        return False
    return "patched qt" in version.lower()


@functools.cache
def _card_font():
    """Name of the reportlab font for the header and footer lines: the
    Chinese face when fontconfig finds it, else Helvetica (Latin only)."""
    try:
        path = subprocess.run(
            ["fc-match", "--format=%{file}", f"{CARD_FONT_FAMILY}:lang=zh-cn"],
            capture_output=True,
            check=False,
            timeout=30,
        ).stdout.decode()
        if path and "wqy" in path.lower():
            pdfmetrics.registerFont(TTFont(CARD_FONT_NAME, path, subfontIndex=0))
            return CARD_FONT_NAME
    except Exception as error:  # reportlab raises plain errors on a bad font file
        _logger.warning("Archive card: font %s not usable (%s)", CARD_FONT_FAMILY, error)
    return "Helvetica"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _run_wkhtmltopdf(self, bodies, report_ref=False, **kwargs):
        pdf = super()._run_wkhtmltopdf(bodies, report_ref=report_ref, **kwargs)
        report = self._get_report(report_ref) if report_ref else self
        if report.report_name != ARCHIVE_CARD_REPORT or _wkhtmltopdf_has_patched_qt():
            return pdf
        return self._archive_card_stamp_header_footer(pdf)

    @api.model
    def _archive_card_stamp_header_footer(self, pdf):
        """Header (company) and footer (page x / y) of the archive card when
        wkhtmltopdf cannot print Odoo's header and footer (Debian's build,
        without the patched Qt): drawn on every page as real text."""
        reader = PdfFileReader(io.BytesIO(pdf), strict=False, overwriteWarnings=False)
        total = reader.getNumPages()
        font = _card_font()
        company = self.env.company
        overlay_buffer = io.BytesIO()
        overlay = canvas.Canvas(overlay_buffer)
        for number in range(total):
            box = reader.getPage(number).mediabox
            width, height = float(box.width), float(box.height)
            overlay.setPageSize((width, height))
            overlay.setFont(font, 9)
            overlay.setFillGray(0.25)
            overlay.drawString(10 * MM, height - 12 * MM, company.name or "")
            overlay.setStrokeGray(0.6)
            overlay.setLineWidth(0.5)
            overlay.line(10 * MM, height - 14 * MM, width - 10 * MM, height - 14 * MM)
            overlay.line(10 * MM, 12 * MM, width - 10 * MM, 12 * MM)
            overlay.drawCentredString(
                width / 2, 7 * MM, self.env._("Page %(page)s / %(total)s", page=number + 1, total=total)
            )
            overlay.showPage()
        overlay.save()
        stamps = PdfFileReader(overlay_buffer, strict=False, overwriteWarnings=False)
        writer = PdfFileWriter()
        for number in range(total):
            page = reader.getPage(number)
            page.mergePage(stamps.getPage(number))
            writer.addPage(page)
        output = io.BytesIO()
        writer.write(output)
        return output.getvalue()
