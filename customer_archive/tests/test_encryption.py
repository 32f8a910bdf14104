"""Encryption at rest of the sensitive fields (数据加密): round trip, blind
index search and duplicates, tampering, missing key, upgrade of plain
columns, key rotation and a pg_dump without plain values."""

import os
import subprocess
from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, config

from ..tools import crypto
from .common import ArchiveCase, load_migration

VALID_ID = "11010519491231002X"
ACCOUNT = "6222 0000 1111 2222"
# Demo data (committed at install): what a dump of the database must not show.
DEMO_ID_NUMBER = "110105196807150318"
DEMO_ACCOUNT_DIGITS = "6225882100345678"
DEMO_ACCOUNT = "6225 8821 0034 5678"
DEMO_FAMILY = "已婚,一子在英国留学"


def columns(env, partner, *names):
    env.flush_all()
    env.cr.execute(
        SQL(
            "SELECT %s FROM res_partner WHERE id = %s",
            SQL(", ").join(SQL.identifier(name) for name in names),
            partner.id,
        )
    )
    return env.cr.fetchone()


@tagged("post_install", "-at_install")
class TestEncryption(ArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # These tests are about the stored values, not the consent to them
        # (see test_privacy_compliance): no separate consent required here.
        cls.env["ir.config_parameter"].sudo().set_param("customer_archive.require_sensitive_consent", False)
        cls.Partner = cls.env["res.partner"]
        cls.person = cls.Partner.create(
            {
                "name": "加密测试",
                "archive_resident_id_number": VALID_ID,
                "archive_bank_account_number": ACCOUNT,
                "archive_family_situation": "已婚,两个孩子",
            }
        )

    def test_values_are_stored_encrypted_and_read_back(self):
        id_cipher, id_index, account_cipher, family_cipher = columns(
            self.env,
            self.person,
            "archive_resident_id_number_encrypted",
            "archive_resident_id_number_blind_index",
            "archive_bank_account_number_encrypted",
            "archive_family_situation_encrypted",
        )
        key_id = crypto.current_key().key_id
        for stored in (id_cipher, account_cipher, family_cipher):
            self.assertTrue(stored.startswith(f"{key_id}:"))
        self.assertNotIn(VALID_ID, id_cipher + id_index)
        self.assertNotIn("0000 1111", account_cipher)
        self.assertNotIn("已婚", family_cipher)
        # No plain column is left on the table.
        table_columns = self.Partner._encrypted_table_columns()
        for name in ("archive_resident_id_number", "archive_bank_account_number", "archive_family_situation"):
            self.assertNotIn(name, table_columns)
        self.env.invalidate_all()
        self.assertEqual(self.person.archive_resident_id_number, VALID_ID)
        self.assertEqual(self.person.archive_bank_account_number, ACCOUNT)
        self.assertEqual(self.person.archive_family_situation, "已婚,两个孩子")
        # Two encryptions of the same value differ (random IV): the ciphertext
        # says nothing about equal values; only the keyed blind index does.
        twin = self.Partner.create({"name": "双胞胎", "archive_bank_account_number": ACCOUNT})
        self.assertNotEqual(
            columns(self.env, twin, "archive_bank_account_number_encrypted")[0], account_cipher
        )

    def test_clearing_a_value_clears_its_columns(self):
        self.person.write({"archive_resident_id_number": False, "archive_family_situation": False})
        self.assertEqual(
            columns(
                self.env,
                self.person,
                "archive_resident_id_number_encrypted",
                "archive_resident_id_number_blind_index",
                "archive_family_situation_encrypted",
            ),
            (None, None, None),
        )
        self.assertFalse(self.person.archive_resident_id_number)

    def test_exact_search_through_the_blind_index(self):
        found = self.Partner.search([("archive_resident_id_number", "=", "110105 19491231 002x")])
        self.assertEqual(found, self.person)
        self.assertEqual(
            self.Partner.search([("archive_bank_account_number", "ilike", "6222-0000-1111-2222")]),
            self.person,
        )
        self.assertEqual(
            self.Partner.search([("archive_resident_id_number", "in", [VALID_ID, "x"])]), self.person
        )
        self.assertNotIn(self.person, self.Partner.search([("archive_resident_id_number", "!=", VALID_ID)]))
        self.assertIn(self.person, self.Partner.search([("archive_family_situation", "!=", False)]))
        self.assertNotIn(self.person, self.Partner.search([("archive_family_situation", "=", False)]))
        with self.assertRaises(UserError) as raised:
            self.Partner.search([("archive_bank_account_number", "=like", "6222%")])
        self.assertIn("complete value", str(raised.exception))
        with self.assertRaises(UserError):
            self.Partner.search([("archive_family_situation", "ilike", "已婚")])

    def test_duplicates_by_blind_index(self):
        twin = self.Partner.create({"name": "另一个人", "archive_resident_id_number": VALID_ID.lower()})
        self.assertIn(twin, self.person.archive_duplicate_ids)
        self.assertIn(self.person, twin.archive_duplicate_ids)
        flagged = self.Partner.search(
            [("archive_duplicate_ids", "!=", False), ("id", "in", (self.person | twin).ids)]
        )
        self.assertEqual(flagged, self.person | twin)
        # In a form being edited, the ID number being typed finds the twin.
        form_record = self.Partner.new({"name": "新客户", "archive_resident_id_number": VALID_ID})
        self.assertIn(twin, form_record.archive_duplicate_ids._origin)

    def test_check_digit_is_validated_before_encryption(self):
        with self.assertRaises(ValidationError) as raised:
            self.Partner.create({"name": "错号", "archive_resident_id_number": "110105194912310021"})
        self.assertIn("Resident ID Number", str(raised.exception))
        with self.assertRaises(ValidationError):
            self.person.write({"archive_birth_date": "1960-01-01"})
        with self.assertRaises(ValidationError):
            self.Partner.create(
                {
                    "name": "生日不符",
                    "archive_resident_id_number": VALID_ID,
                    "archive_birth_date": "1950-01-01",
                }
            )

    def test_tampered_ciphertext_is_refused(self):
        cipher = columns(self.env, self.person, "archive_resident_id_number_encrypted")[0]
        tampered = cipher[:-6] + ("A" if cipher[-6] != "A" else "B") + cipher[-5:]
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET archive_resident_id_number_encrypted = %s WHERE id = %s",
                tampered,
                self.person.id,
            )
        )
        self.env.invalidate_all()
        with self.assertRaises(UserError) as raised:
            _value = self.person.archive_resident_id_number
        self.assertIn("changed outside Odoo", str(raised.exception))

    def test_without_key_nothing_is_stored_in_clear(self):
        option = crypto.key_option_name()
        with (
            patch.dict(config.options, {option: "", f"{option}_previous": ""}),
            patch.dict(os.environ, {crypto.ENV_VARIABLE: ""}),
        ):
            with self.assertRaises(UserError) as raised:
                self.Partner.create({"name": "无钥匙", "archive_bank_account_number": "1234 5678"})
            self.assertIn(option, str(raised.exception))
            self.env.invalidate_all()
            with self.assertRaises(UserError):
                _value = self.person.archive_bank_account_number

    def test_environment_variable_holds_the_key_when_the_configuration_does_not(self):
        option = crypto.key_option_name()
        key = crypto.current_key()
        configured = config.get(option)
        with (
            patch.dict(config.options, {option: ""}),
            patch.dict(os.environ, {crypto.ENV_VARIABLE: configured}),
        ):
            self.env.invalidate_all()
            self.assertEqual(self.person.archive_resident_id_number, VALID_ID)
            self.assertEqual(crypto.current_key().key_id, key.key_id)

    def test_sensitive_users_without_system_rights_read_and_write(self):
        user = self.archive_admin  # sensitive data, no system rights
        self.assertFalse(user.has_group("base.group_system"))
        person = self.person.with_user(user)
        self.assertEqual(
            person.read(["archive_resident_id_number"])[0]["archive_resident_id_number"], VALID_ID
        )
        person.write({"archive_bank_account_number": "6222 9999 8888 7777"})
        self.env.invalidate_all()
        self.assertEqual(self.person.archive_bank_account_number, "6222 9999 8888 7777")
        self.assertEqual(person.search([("archive_bank_account_number", "=", "6222999988887777")]), person)
        self.assertNotIn("archive_resident_id_number_encrypted", person.fields_get())

    def test_upgrade_encrypts_plain_columns_and_drops_them(self):
        """A database of 18.0.1.0.0 has plain columns; the post-migration of
        18.0.1.1.0 encrypts their values and drops them."""
        self.env.cr.execute(
            SQL(
                "ALTER TABLE res_partner ADD COLUMN archive_resident_id_number varchar, ADD COLUMN archive_family_situation text"
            )
        )
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET archive_resident_id_number = %s, archive_family_situation = %s,"
                " archive_resident_id_number_encrypted = NULL, archive_resident_id_number_blind_index = NULL,"
                " archive_family_situation_encrypted = NULL WHERE id = %s",
                VALID_ID,
                "离异",
                self.person.id,
            )
        )
        load_migration("18.0.1.1.0", "post-encrypt-sensitive-fields").migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertNotIn("archive_resident_id_number", self.Partner._encrypted_table_columns())
        self.assertNotIn("archive_family_situation", self.Partner._encrypted_table_columns())
        self.assertEqual(self.person.archive_resident_id_number, VALID_ID)
        self.assertEqual(self.person.archive_family_situation, "离异")
        self.assertEqual(self.Partner.search([("archive_resident_id_number", "=", VALID_ID)]), self.person)

    def test_key_rotation_re_encrypts_every_value_in_resumable_chunks(self):
        option = crypto.key_option_name()
        old_key = config.get(option)
        old_id = crypto.current_key().key_id
        new_key = crypto.generate_key()
        others = self.Partner.create(
            [
                {"name": f"轮换 {index}", "archive_bank_account_number": f"6222 0000 0000 {index:04d}"}
                for index in range(5)
            ]
        )
        Mixin = self.env["customer.archive.encryption.mixin"]
        with patch.dict(config.options, {option: new_key, f"{option}_previous": old_key}):
            new_id = crypto.current_key().key_id
            self.assertNotEqual(new_id, old_id)
            # During the rotation both keys read, and the search finds rows of both.
            self.assertEqual(
                self.Partner.search([("archive_resident_id_number", "=", VALID_ID)]), self.person
            )
            # One chunk of 2 rows, as if the job had been cut off after it.
            done = self.env["res.partner"]._encrypted_rotate_chunk(2)
            self.assertEqual(done, 2)
            stale = self.Partner._encrypted_stale_count()
            self.assertTrue(stale)
            report = Mixin.encrypted_rotate_all(chunk_size=3, commit=False)
            self.assertEqual(report["res.partner"], stale)
            self.assertEqual(self.Partner._encrypted_stale_count(), 0)
            # Nothing left: running it again does nothing.
            self.assertEqual(Mixin.encrypted_rotate_all(chunk_size=3, commit=False)["res.partner"], 0)
            cipher, index = columns(
                self.env,
                self.person,
                "archive_resident_id_number_encrypted",
                "archive_resident_id_number_blind_index",
            )
            self.assertTrue(cipher.startswith(f"{new_id}:"))
            self.assertEqual(index, crypto.blind_index(VALID_ID))
            self.env.invalidate_all()
            self.assertEqual(self.person.archive_resident_id_number, VALID_ID)
            self.assertEqual(others[3].archive_bank_account_number, "6222 0000 0000 0003")
        # The old key alone cannot read the rotated values any more.
        with patch.dict(config.options, {option: old_key, f"{option}_previous": ""}):
            self.env.invalidate_all()
            with self.assertRaises(UserError):
                _value = self.person.archive_resident_id_number
        # With the new key alone everything reads and is found.
        with patch.dict(config.options, {option: new_key, f"{option}_previous": ""}):
            self.env.invalidate_all()
            self.assertEqual(self.person.archive_resident_id_number, VALID_ID)
            self.assertEqual(
                self.Partner.search([("archive_resident_id_number", "=", VALID_ID)]), self.person
            )


@tagged("post_install", "-at_install")
class TestEncryptedDump(TransactionCase):
    def test_database_dump_holds_no_plain_sensitive_value(self):
        """pg_dump of the database (demo data is committed at install): the
        ID numbers, bank accounts and family situations are not in it."""
        partner = self.env["res.partner"].search([("archive_resident_id_number", "=", DEMO_ID_NUMBER)])
        self.assertTrue(partner, "demo partner with the known ID number")
        self.assertTrue(self.env["res.partner"].search([("archive_bank_account_number", "=", DEMO_ACCOUNT)]))
        dump = pg_dump(self.env.cr.dbname)
        self.assertIn("archive_resident_id_number_encrypted", dump)
        for plain in (DEMO_ID_NUMBER, DEMO_ACCOUNT, DEMO_ACCOUNT_DIGITS, DEMO_FAMILY):
            self.assertNotIn(plain, dump)


def pg_dump(dbname):
    """The plain SQL dump of ``dbname``, by the pg_dump of the local cluster."""
    binaries = sorted(
        (
            path
            for path in (
                "/usr/lib/postgresql/15/bin",
                "/usr/lib/postgresql/16/bin",
                "/usr/lib/postgresql/17/bin",
            )
            if os.path.exists(f"{path}/pg_dump")
        ),
    )
    command = [f"{binaries[-1]}/pg_dump" if binaries else "pg_dump", "--no-owner", dbname]
    environ = dict(os.environ)
    if config.get("db_host"):
        environ["PGHOST"] = config["db_host"]
    if config.get("db_port"):
        environ["PGPORT"] = str(config["db_port"])
    if config.get("db_user"):
        environ["PGUSER"] = config["db_user"]
    return subprocess.run(command, env=environ, capture_output=True, check=True, text=True).stdout
