from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _creation_message(self):
        """The creation message in one language.

        With no ``lang`` in the context (demo data, crons, server actions),
        ``_()`` translates into the user's language while the model's name is
        read in English: a zh_CN user read "Contact 创建". Read both in the
        user's language.
        """
        if not self.env.context.get("lang") and self.env.user.lang:
            return super(MailThread, self.with_context(lang=self.env.user.lang))._creation_message()
        return super()._creation_message()
