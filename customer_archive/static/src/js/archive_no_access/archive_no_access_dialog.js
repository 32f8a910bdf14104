/** @odoo-module **/
/*
 * Opening a customer archive one may not read (a link in a message, a
 * direct URL /odoo/contacts/ID): the server answers with an AccessError
 * marked "customer_archive.no_access" (models/res_partner_access.py) whose
 * message names nothing of the archive. Instead of Odoo's generic access
 * error, this dialog says so and offers to request access to that archive.
 */
import { Component } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { standardErrorDialogProps } from "@web/core/errors/error_dialogs";
import { RPCError } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { UncaughtPromiseError } from "@web/core/errors/error_service";

export class ArchiveNoAccessDialog extends Component {
    static template = "customer_archive.ArchiveNoAccessDialog";
    static components = { Dialog };
    static props = { ...standardErrorDialogProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.message = this.props.data?.arguments?.[0] || this.props.message;
        this.archiveId = this.props.data?.context?.archive_id;
    }

    async onClickClose() {
        this.props.close();
        // Opened from a direct URL, nothing is behind the message: the
        // user lands on the archives they may see, not on a blank page.
        if (!this.action.currentController) {
            await this.action.doAction("customer_archive.action_customer_archive");
        }
    }

    async onClickRequest() {
        const action = await this.orm.call(
            "customer.archive.access.request",
            "action_request_archive_access",
            [this.archiveId]
        );
        this.props.close();
        await this.action.doAction(action);
    }
}

export function archiveNoAccessHandler(env, error, originalError) {
    if (
        !(error instanceof UncaughtPromiseError) ||
        !(originalError instanceof RPCError) ||
        originalError.data?.context?.exception_class !== "customer_archive.no_access"
    ) {
        return false;
    }
    error.unhandledRejectionEvent.preventDefault();
    env.services.dialog.add(ArchiveNoAccessDialog, {
        message: originalError.message,
        data: originalError.data,
        exceptionName: originalError.exceptionName,
    });
    return true;
}

// before Odoo's rpcErrorHandler (97), which would show the generic dialog
registry.category("error_handlers").add("customerArchiveNoAccess", archiveNoAccessHandler, {
    sequence: 96,
});
