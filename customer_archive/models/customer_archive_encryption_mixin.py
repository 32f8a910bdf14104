import logging

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import crypto, identity

_logger = logging.getLogger(__name__)

# Operators an exact-match search on a blind index can answer: "ilike" (what
# the search panel sends) compares the complete normalised value, no part.
EQUAL_OPERATORS = ("=", "ilike", "=ilike", "in")
NOT_EQUAL_OPERATORS = ("!=", "not ilike", "not in")


def normalize_code(value):
    """How identity codes and account numbers are compared: upper case,
    without spaces or dashes."""
    return identity.normalize_code(value) if value else False


def encrypted_field(field_type, name, **attributes):
    """The plain field ``name`` of a model of the encryption mixin: a
    ``field_type`` (``fields.Char``, ``fields.Text``) not stored, decrypted by
    ``_compute_encrypted_fields``, encrypted when written
    (:meth:`~CustomerArchiveEncryptionMixin._encrypted_inverse`) and searched
    by its blind index (:meth:`~CustomerArchiveEncryptionMixin._encrypted_search`).
    ``attributes`` go to the field (``string``…)."""

    def inverse(records):
        records._encrypted_inverse(name)

    def search(records, operator, value):
        return records._encrypted_search(name, operator, value)

    return field_type(
        store=False, compute="_compute_encrypted_fields", inverse=inverse, search=search, **attributes
    )


class CustomerArchiveEncryptionMixin(models.AbstractModel):
    """Sensitive fields stored encrypted (数据加密, PIPL Art. 51).

    A model lists its encrypted fields in ``_encrypted_fields`` ({field name:
    normaliser or None}) and declares, per field ``<name>``:

    - ``<name>_encrypted``: the stored ``<key id>:<token>`` (Text, system only);
    - ``<name>_blind_index`` when it has a normaliser: the stored HMAC of the
      normalised value, indexed, for exact-match search and duplicates;
    - ``<name>`` itself, made by :func:`encrypted_field`: not stored,
      decrypted by ``_compute_encrypted_fields``, encrypted on write by
      :meth:`_encrypted_inverse` and searched by :meth:`_encrypted_search`.

    The key is outside the database (see :mod:`..tools.crypto`); the database
    holds no plain value.
    """

    _name = "customer.archive.encryption.mixin"
    _description = "Encrypted Sensitive Fields"

    _encrypted_fields = {}

    # ------------------------------------------------------------------
    # Plain value <-> stored ciphertext
    # ------------------------------------------------------------------
    @api.model
    def _encrypted_decrypt(self, stored):
        try:
            return crypto.decrypt(stored)
        except crypto.EncryptionKeyMissing as error:
            raise UserError(
                self.env._(
                    "The sensitive data of this record cannot be decrypted: the encryption key “%(key)s” "
                    "is not in the Odoo configuration. Add the key the data was encrypted with (option "
                    "%(option)s, or %(option)s_previous during a key rotation) and restart Odoo.",
                    key=str(error),
                    option=crypto.key_option_name(),
                )
            ) from None
        except crypto.InvalidToken:
            raise UserError(
                self.env._(
                    "The sensitive data of this record was changed outside Odoo or encrypted with another "
                    "key: it cannot be read. Restore it from a backup or enter it again."
                )
            ) from None

    @api.model
    def _encrypted_encrypt(self, plain):
        try:
            return crypto.encrypt(plain)
        except crypto.EncryptionKeyMissing:
            raise UserError(
                self.env._(
                    "Sensitive data is stored encrypted, but no encryption key is configured: add "
                    "%(option)s to the Odoo configuration (a key is made by setup/run.sh) and restart Odoo.",
                    option=crypto.key_option_name(),
                )
            ) from None

    @api.depends(lambda self: [f"{name}_encrypted" for name in self._encrypted_fields])
    def _compute_encrypted_fields(self):
        # sudo: the ciphertext columns are readable by the system only; the
        # plain field keeps its own groups.
        stored = self.sudo()
        read = set()
        for record, sudo_record in zip(self, stored, strict=True):
            for name in self._encrypted_fields:
                value = self._encrypted_decrypt(sudo_record[f"{name}_encrypted"])
                record[name] = value
                if value:
                    read.add(name)
        if read and not self.env.su:
            self._encrypted_audit_read(sorted(read))

    def _encrypted_audit_read(self, field_names):
        """Audit a read of plain values by a user (not sudo). Hook: the
        models whose reads are not audited otherwise log them here."""

    def _encrypted_values(self, name, plain):
        """The stored columns of field ``name`` for the plain value ``plain``."""
        values = {f"{name}_encrypted": self._encrypted_encrypt(plain) if plain else False}
        normaliser = self._encrypted_fields[name]
        if normaliser:
            values[f"{name}_blind_index"] = crypto.blind_index(normaliser(plain)) if plain else False
        return values

    def _encrypted_check(self, name):
        """Validate the plain values of field ``name`` of self before they
        are encrypted (check digits…); raise ValidationError. Hook."""

    def _encrypted_inverse(self, name):
        self._encrypted_check(name)
        for record in self:
            values = record._encrypted_values(name, record[name])
            # sudo: the ciphertext columns are written by the system only;
            # the user's right to write the plain field was checked by
            # write(). The technical columns are set as write() sets a
            # field (cache, database update, dependants), without a second
            # pass through the model's write overrides (audit, tracking…).
            stored = record.sudo()
            for column, value in values.items():
                self._fields[column].write(stored, value)
            stored.modified(list(values))

    @api.model
    def _encrypted_search(self, name, operator, value):
        field_label = self._fields[name].get_description(self.env)["string"]
        if operator in ("=", "!=") and not value:
            # sudo: whether a value is set is no secret; the ciphertext
            # column itself stays readable by the system only.
            return [("id", "in", self.sudo()._search([(f"{name}_encrypted", operator, False)]))]
        normaliser = self._encrypted_fields[name]
        if normaliser and (operator in EQUAL_OPERATORS or operator in NOT_EQUAL_OPERATORS):
            values = value if isinstance(value, list | tuple) else [value]
            indexes = [index for item in values if item for index in crypto.blind_indexes(normaliser(item))]
            if operator in EQUAL_OPERATORS:
                return [(f"{name}_blind_index", "in", indexes)]
            return [(f"{name}_blind_index", "not in", indexes)]
        if normaliser:
            message = self.env._(
                "%(field)s is stored encrypted: search it by the complete value (equal), not by a part of it.",
                field=field_label,
            )
        else:
            message = self.env._(
                "%(field)s is stored encrypted: it can only be searched for being set or not set.",
                field=field_label,
            )
        raise UserError(message)

    # ------------------------------------------------------------------
    # Upgrade and key rotation
    # ------------------------------------------------------------------
    @api.model
    def _encrypted_table_columns(self):
        self.env.cr.execute(
            SQL("SELECT column_name FROM information_schema.columns WHERE table_name = %s", self._table)
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _encrypted_migrate_plain_columns(self):
        """Encrypt the values of the plain columns the fields had before
        they were encrypted, then drop those columns (upgrade)."""
        columns = self._encrypted_table_columns()
        for name in self._encrypted_fields:
            if name not in columns:
                continue
            self.env.cr.execute(
                SQL(
                    "SELECT id, %s FROM %s WHERE %s IS NOT NULL",
                    SQL.identifier(name),
                    SQL.identifier(self._table),
                    SQL.identifier(name),
                )
            )
            rows = self.env.cr.fetchall()
            for record_id, plain in rows:
                values = self.browse(record_id)._encrypted_values(name, plain)
                self.env.cr.execute(
                    SQL(
                        "UPDATE %s SET %s WHERE id = %s",
                        SQL.identifier(self._table),
                        SQL(", ").join(
                            SQL("%s = %s", SQL.identifier(column), stored)
                            for column, stored in values.items()
                        ),
                        record_id,
                    )
                )
            self.env.cr.execute(
                SQL("ALTER TABLE %s DROP COLUMN %s", SQL.identifier(self._table), SQL.identifier(name))
            )
            _logger.info("%s.%s: %s values encrypted, plain column dropped", self._name, name, len(rows))
        self.invalidate_model()

    @api.model
    def _encrypted_stale_condition(self):
        current = crypto.current_key().key_id + crypto.SEPARATOR
        return SQL(" OR ").join(
            SQL(
                "(%s IS NOT NULL AND %s NOT LIKE %s)",
                SQL.identifier(f"{name}_encrypted"),
                SQL.identifier(f"{name}_encrypted"),
                current + "%",
            )
            for name in self._encrypted_fields
        )

    @api.model
    def _encrypted_stale_count(self):
        """The number of rows of this model with a value not under the current key."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM %s WHERE %s",
                SQL.identifier(self._table),
                self._encrypted_stale_condition(),
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _encrypted_models(self):
        return [
            self.env[name]
            for name, model in self.env.registry.items()
            if not model._abstract and getattr(model, "_encrypted_fields", None)
        ]

    @api.model
    def encrypted_rotate_all(self, chunk_size=500, commit=True):
        """Key rotation: re-encrypt every encrypted value of every model
        under the current key (``encryption_key_<env>``), reading the old
        ones with ``encryption_key_<env>_previous``.

        Resumable and idempotent: rows already under the current key are
        skipped, each chunk of ``chunk_size`` rows is committed (when
        ``commit``), so an interrupted rotation goes on where it stopped.
        Run it from ``odoo shell`` (``setup/rotate_key.sh`` does)::

            env["customer.archive.encryption.mixin"].encrypted_rotate_all()

        :return: {model name: rows re-encrypted}
        """
        if not self.env.is_superuser() and not self.env.user.has_group("base.group_system"):
            raise UserError(self.env._("Only an administrator (Settings) may rotate the encryption key."))
        report = {}
        for model in self._encrypted_models():
            model = model.sudo()
            report[model._name] = 0
            while True:
                done = model._encrypted_rotate_chunk(chunk_size)
                if not done:
                    break
                report[model._name] += done
                if commit:
                    # Each chunk is kept: a rotation cut off (worker limits,
                    # Ctrl-C) resumes with the rows still under an old key.
                    self.env.cr.commit()  # pylint: disable=invalid-commit
            _logger.info("key rotation: %s rows of %s re-encrypted", report[model._name], model._name)
        return report

    @api.model
    def _encrypted_rotate_chunk(self, limit):
        """Re-encrypt (and re-index) at most ``limit`` rows of this model
        whose values are not under the current key yet.

        :return: the number of rows re-encrypted (0: the model is done)
        """
        self.env.flush_all()
        stale = self._encrypted_stale_condition()
        columns = [f"{name}_encrypted" for name in self._encrypted_fields]
        self.env.cr.execute(
            SQL(
                "SELECT id, %s FROM %s WHERE %s ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
                SQL(", ").join(SQL.identifier(column) for column in columns),
                SQL.identifier(self._table),
                stale,
                limit,
            )
        )
        rows = self.env.cr.fetchall()
        for record_id, *stored_values in rows:
            assignments = []
            for name, stored in zip(self._encrypted_fields, stored_values, strict=True):
                if crypto.is_current(stored):
                    continue
                values = self._encrypted_values(name, self._encrypted_decrypt(stored))
                assignments += [
                    SQL("%s = %s", SQL.identifier(column), value) for column, value in values.items()
                ]
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s WHERE id = %s",
                    SQL.identifier(self._table),
                    SQL(", ").join(assignments),
                    record_id,
                )
            )
        if rows:
            self.invalidate_model()
        return len(rows)
