/** @odoo-module **/
/*
 * Mark Done of a call, meeting or visit on a customer archive asks whom the
 * rep met, their position and the outcome, in one dialog (the wizard
 * customer.archive.activity.done) instead of Odoo's feedback popover: from
 * the chatter, from the activity widget of lists and kanban cards and from
 * the activity view. The server flags these activities
 * (mail.activity.archive_asks_person_met). Afterwards the chatter and the
 * open form reload, so the interaction history shows the new entry.
 */
import { Activity } from "@mail/core/web/activity";
import { ActivityListPopoverItem } from "@mail/core/web/activity_list_popover_item";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

function openPersonMetDialog(env, activity) {
    return new Promise((resolve) => {
        env.services.action.doAction(
            {
                type: "ir.actions.act_window",
                name: _t("Mark Done"),
                res_model: "customer.archive.activity.done",
                views: [[false, "form"]],
                target: "new",
                context: { default_activity_id: activity.id },
            },
            { onClose: resolve }
        );
    });
}

patch(Activity.prototype, {
    async onClickMarkAsDone(ev) {
        if (!this.props.activity.archive_asks_person_met) {
            return super.onClickMarkAsDone(ev);
        }
        const thread = this.thread;
        await openPersonMetDialog(this.env, this.props.activity);
        this.props.onActivityChanged(thread);
        await this.props.reloadParentView?.();
        await thread.fetchNewMessages();
    },
});

patch(ActivityListPopoverItem.prototype, {
    async onClickMarkAsDone() {
        if (!this.props.activity.archive_asks_person_met) {
            return super.onClickMarkAsDone();
        }
        // the list's popover closes (its close is given as this prop)
        this.props.onClickEditActivityButton?.();
        await openPersonMetDialog(this.env, this.props.activity);
        this.props.onActivityChanged?.();
    },
});
