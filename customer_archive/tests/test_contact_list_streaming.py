import glob
import hashlib
import io
import os

import openpyxl

from odoo.tests import tagged

from .common import ArchiveCase

HEADER_ROW = 4  # 1-based row of the headers, under the title and the subtitle


@tagged("post_install", "-at_install")
class TestContactListStreaming(ArchiveCase):
    """The contact list of many archives is written batch by batch and its
    file becomes the attachment as it is: what the user downloads holds
    every archive once, in archive-number order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.archives = cls.env["res.partner"].create(
            [
                {
                    "name": f"流式客户{index:02d}",
                    "is_company": True,
                    "user_id": cls.rep.id,
                    "archive_tier": "c",
                    "archive_department_id": cls.sales_department.id,
                    "email": f"stream{index:02d}@example.cn",
                }
                for index in range(23)
            ]
        )

    def _export(self):
        Wizard = self.env["customer.archive.contact.list.export"].with_user(self.rep)
        wizard = Wizard.with_context(
            active_model="res.partner", active_ids=self.archives.ids, lang="en_US"
        ).create({})
        self.patch(type(wizard), "_batch_size", 5)
        wizard.action_export()
        return wizard

    def test_batches_follow_the_archive_number(self):
        Wizard = self.env["customer.archive.contact.list.export"].with_user(self.rep)
        wizard = Wizard.with_context(active_model="res.partner", active_ids=self.archives.ids).create({})
        self.patch(type(wizard), "_batch_size", 5)
        batches = list(wizard._iter_archive_batches())
        self.assertEqual([len(batch) for batch in batches], [5, 5, 5, 5, 3])
        ids = [partner_id for batch in batches for partner_id in batch]
        self.assertEqual(ids, self.archives.sorted("archive_number").ids)

    def test_file_read_back_holds_every_archive_in_order(self):
        wizard = self._export()
        attachment = wizard.attachment_id.sudo()
        sheet = openpyxl.load_workbook(io.BytesIO(attachment.raw)).active
        rows = [
            (row[0], row[1], row[2], row[4])
            for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
        ]
        expected = [
            (partner.archive_number, partner.name, "C", partner.email)
            for partner in self.archives.sorted("archive_number")
        ]
        self.assertEqual(rows, expected)
        self.assertEqual(sheet.cell(2, 1).value.split(" ")[0], "23")

    def test_file_is_stored_as_odoo_stores_an_attachment(self):
        wizard = self._export()
        attachment = wizard.attachment_id.sudo()
        data = attachment.raw
        checksum = hashlib.sha1(data).hexdigest()
        self.assertEqual(attachment.checksum, checksum)
        self.assertEqual(attachment.store_fname, f"{checksum[:2]}/{checksum}")
        self.assertEqual(attachment.file_size, len(data))
        self.assertEqual(
            attachment.mimetype, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        # the temporary file was moved, not left behind
        leftovers = glob.glob(os.path.join(attachment._filestore(), "customer_archive_contact_list_*"))
        self.assertEqual(leftovers, [])

    def test_database_storage_still_works(self):
        self.env["ir.config_parameter"].sudo().set_param("ir_attachment.location", "db")
        attachment = self._export().attachment_id.sudo()
        self.assertFalse(attachment.store_fname)
        self.assertTrue(attachment.db_datas)
        sheet = openpyxl.load_workbook(io.BytesIO(attachment.raw)).active
        self.assertEqual(sheet.cell(HEADER_ROW + 1, 2).value, self.archives.sorted("archive_number")[0].name)
