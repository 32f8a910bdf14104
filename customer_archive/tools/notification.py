"""The client action that shows a notification (toast) to the user."""


def notify(message, kind="success", sticky=False, title=None, close=False):
    """Return the ``display_notification`` client action showing ``message``.

    ``kind`` is the toast's colour (success, info, warning, danger); ``sticky`` keeps it open
    until the user closes it; ``close`` also closes the dialog the button stood in.
    """
    params = {"type": kind, "message": message}
    if title:
        params["title"] = title
    if sticky:
        params["sticky"] = True
    if close:
        params["next"] = {"type": "ir.actions.act_window_close"}
    return {"type": "ir.actions.client", "tag": "display_notification", "params": params}
