"""Backup and restore round trip (setup/backup.sh, setup/restore.sh use the
same Odoo functions): an archive with its child contacts, transactions,
feedback, documents (filestore) and chatter comes back identical."""

import base64
import glob
import os
import shutil
import uuid
import zipfile
from contextlib import closing

import pytest

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service import db as service_db
from odoo.tools import SQL

from odoo.addons.customer_archive.tools import backup_crypto

# A valid resident ID number and an account of the archive's key person: the
# dump inside the backup holds them encrypted only.
RESIDENT_ID = "11010519491231002X"
BANK_ACCOUNT = "6222 0200 3300 4400"


def _use_cluster_pg_tools():
    """pg_dump/pg_restore of the local cluster's major version, as the scripts do."""
    bindirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: int(path.split("/")[-2]))
    if bindirs:
        os.environ["PATH"] = f"{bindirs[-1]}:{os.environ['PATH']}"


def _drop_database(db_name):
    # exp_drop only drops the databases the configuration lists (db_name).
    Registry.delete(db_name)
    odoo.sql_db.close_db(db_name)
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(SQL("DROP DATABASE IF EXISTS %s WITH (FORCE)", SQL.identifier(db_name)))
    shutil.rmtree(odoo.tools.config.filestore(db_name), ignore_errors=True)


def _snapshot(env, archive_id):
    archive = env["res.partner"].browse(archive_id)
    partners = (
        env["res.partner"]
        .with_context(active_test=False)
        .search([("id", "child_of", archive_id)], order="id")
    )
    return {
        "partners": partners.read(
            [
                "name",
                "archive_number",
                "archive_tier",
                "email",
                "archive_resident_id_number",
                "archive_bank_account_number",
                "parent_id",
                "archive_key_person_role",
            ]
        ),
        "transactions": env["customer.archive.transaction"]
        .search([("partner_id", "=", archive_id)], order="id")
        .read(["name", "date", "amount", "breach_of_contract"]),
        "archive_transaction_total": archive.archive_transaction_total,
        "feedback": env["customer.archive.feedback"]
        .search([("partner_id", "=", archive_id)], order="id")
        .read(["name", "feedback_type", "state"]),
        "documents": [
            (document.name, document.file_name, document.file)
            for document in env["customer.archive.document"].search(
                [("partner_id", "=", archive_id)], order="id"
            )
        ],
        "messages": env["mail.message"]
        .search([("model", "=", "res.partner"), ("res_id", "=", archive_id)], order="id")
        .mapped("body"),
    }


def _create_archive(env):
    archive = env["res.partner"].create(
        {
            "name": "备份测试有限公司 (backup test)",
            "is_company": True,
            "archive_tier": "a",
            "email": "backup@example.com",
            "child_ids": [
                (
                    0,
                    0,
                    {
                        "name": "李经理",
                        "archive_key_person_role": "main_contact",
                        "email": "li@example.com",
                        "archive_resident_id_number": RESIDENT_ID,
                        "archive_bank_account_number": BANK_ACCOUNT,
                        # the person's separate consent (PIPL Art. 29), given by phone
                        "archive_sensitive_consent_given": True,
                        "archive_sensitive_consent_method": "call",
                    },
                ),
                (0, 0, {"name": "赵总", "archive_key_person_role": "legal_representative"}),
            ],
        }
    )
    env["customer.archive.transaction"].create(
        [
            {"name": "BK-1", "partner_id": archive.id, "date": "2025-01-15", "amount": 12000},
            {
                "name": "BK-2",
                "partner_id": archive.id,
                "date": "2025-06-30",
                "amount": 800,
                "breach_of_contract": True,
            },
        ]
    )
    env["customer.archive.feedback"].create(
        {"name": "按时交货", "partner_id": archive.id, "feedback_type": "praise"}
    )
    document_type = env["customer.archive.document.type"].search([], limit=1)
    env["customer.archive.document"].create(
        {
            "name": "营业执照",
            "partner_id": archive.id,
            "type_id": document_type.id,
            "file": base64.b64encode(b"%PDF-1.4 business licence " + uuid.uuid4().hex.encode()),
            "file_name": "licence.pdf",
        }
    )
    archive.message_post(body="拜访记录: 签订年度合同")
    return archive.id


def test_dump_and_restore_keep_an_archive_identical(tmp_path):
    _use_cluster_pg_tools()
    db_name = odoo.tools.config["db_name"]
    restored = f"{db_name}_restore_{os.getpid()}"
    with Registry(db_name).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        archive_id = _create_archive(env)
        cr.commit()
        expected = _snapshot(env, archive_id)
    try:
        backup = tmp_path / "backup.zip"
        with open(backup, "wb") as stream:
            service_db.dump_db(db_name, stream, "zip")
        # The sensitive fields are encrypted in the dump itself.
        with zipfile.ZipFile(backup) as archive_zip:
            dump = archive_zip.read("dump.sql")
        assert b"archive_resident_id_number_encrypted" in dump
        for plain in (RESIDENT_ID, BANK_ACCOUNT, BANK_ACCOUNT.replace(" ", "")):
            assert plain.encode() not in dump
        # setup/backup.sh --encrypt: the whole zip under a passphrase.
        sealed = tmp_path / "backup.zip.enc"
        backup_crypto.encrypt_file(backup, sealed, "correct horse battery staple")
        assert backup_crypto.is_encrypted(sealed)
        assert not zipfile.is_zipfile(sealed)
        with pytest.raises(backup_crypto.BackupDecryptionError):
            backup_crypto.decrypt_file(sealed, tmp_path / "wrong.zip", "wrong passphrase")
        tampered = tmp_path / "tampered.zip.enc"
        content = bytearray(sealed.read_bytes())
        content[len(content) // 2] ^= 1
        tampered.write_bytes(bytes(content))
        with pytest.raises(backup_crypto.BackupDecryptionError):
            backup_crypto.decrypt_file(tampered, tmp_path / "tampered.zip", "correct horse battery staple")
        cut = tmp_path / "cut.zip.enc"
        cut.write_bytes(sealed.read_bytes()[:-100])
        with pytest.raises(backup_crypto.BackupDecryptionError):
            backup_crypto.decrypt_file(cut, tmp_path / "cut.zip", "correct horse battery staple")
        unsealed = tmp_path / "unsealed.zip"
        backup_crypto.decrypt_file(sealed, unsealed, "correct horse battery staple")
        assert unsealed.read_bytes() == backup.read_bytes()
        # Loading the restored database must not run the test suite again.
        test_enable = odoo.tools.config["test_enable"]
        odoo.tools.config["test_enable"] = False
        try:
            service_db.restore_db(restored, str(unsealed), copy=True)
            with Registry(restored).cursor() as cr:
                actual = _snapshot(api.Environment(cr, SUPERUSER_ID, {}), archive_id)
        finally:
            odoo.tools.config["test_enable"] = test_enable
        assert actual == expected
        assert len(actual["partners"]) == 3
        assert actual["partners"][1]["archive_resident_id_number"] == RESIDENT_ID
        assert len(actual["transactions"]) == 2
        assert actual["documents"][0][2]  # the file came back from the restored filestore
    finally:
        _drop_database(restored)
        with Registry(db_name).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["customer.archive.document"].search([("partner_id", "=", archive_id)]).unlink()
            env["customer.archive.transaction"].search([("partner_id", "=", archive_id)]).unlink()
            env["customer.archive.feedback"].search([("partner_id", "=", archive_id)]).unlink()
            env["res.partner"].browse(archive_id).child_ids.unlink()
            env["res.partner"].browse(archive_id).unlink()
            cr.commit()
