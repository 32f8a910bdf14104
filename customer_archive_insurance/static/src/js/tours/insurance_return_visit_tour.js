/** @odoo-module **/
/*
 * Return visit (回访) through the web client, as customer service:
 * open the visit of the new policy, note the call and log it as
 * unreachable; logging it as successful with the checklist unanswered is
 * refused with the items to confirm. The test
 * (tests/test_ui_return_visit.py) checks the attempt and the retry.
 */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("insurance_return_visit_tour", {
    steps: () => [
        {
            content: "Open the return visit of the new policy",
            trigger: ".o_list_renderer .o_data_row:contains(TOUR-L-1) td.o_data_cell",
            run: "click",
        },
        {
            content: "The checklist lists what must be confirmed",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains(Loss on early surrender understood)",
        },
        {
            content: "Note the call",
            trigger: ".o_field_widget[name=call_note] textarea",
            run: "edit 无人接听，明天再打",
        },
        {
            content: "Log it as unreachable",
            trigger: "button[name=action_log_unreachable]",
            run: "click",
        },
        {
            content: "The result is logged",
            trigger: ".o_field_widget[name=result]:contains(Unreachable)",
        },
        {
            content: "Try to log a successful call with the checklist unanswered",
            trigger: "button[name=action_log_successful]",
            run: "click",
        },
        {
            content: "Refused: the items are not confirmed",
            trigger: ".modal .modal-body:contains(cannot be successful)",
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Back on the visit, still to do",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(To Do)",
        },
    ],
});
