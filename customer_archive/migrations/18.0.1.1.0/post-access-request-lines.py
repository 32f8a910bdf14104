from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Access requests of 18.0.1.0.0 name their archives in partner_ids only;
    from 18.0.1.1.0 the requester sees them through request lines (archive
    number, and the name they picked in the old form). Give every request
    without lines one line per archive; partner_ids stays as it was."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    requests = env["customer.archive.access.request"].search([("line_ids", "=", False)])
    Line = env["customer.archive.access.request.line"]
    Line.create(
        [
            {
                "request_id": request.id,
                "reference": partner.archive_number or partner.name,
                "partner_id": partner.id,
                **Line._archive_line_values(partner, True),
            }
            for request in requests
            for partner in request.partner_ids
        ]
    )
