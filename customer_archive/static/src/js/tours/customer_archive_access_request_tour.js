/** @odoo-module **/
/*
 * Cross-department access (权限), through the web client:
 * 1. a rep who cannot see an A-class archive asks for it by its full name
 *    (which archive, why) and submits the request;
 * 2. a marketing manager opens "To Approve", comments and approves.
 * The test (tests/test_ui_access_request.py) runs one tour per user and
 * checks what the rep can read before and after.
 */
import { registry } from "@web/core/registry";
import {
    approveAccessRequestSteps,
    submitAccessRequestSteps,
} from "@customer_archive/js/tours/customer_archive_tour_steps";

const ARCHIVE = "华北重工集团";

registry.category("web_tour.tours").add("customer_archive_access_request_tour", {
    steps: () => [
        {
            content: "New access request",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "Add an archive",
            trigger: ".o_form_renderer .o_field_widget[name=line_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Name the archive by its full name (the rep cannot open it)",
            trigger: ".o_form_renderer .o_field_widget[name=line_ids] .o_data_row [name=reference] input",
            run: `edit ${ARCHIVE}`,
        },
        {
            content: "Leave the cell: the archive is found by its exact name",
            trigger: ".o_form_renderer .o_field_widget[name=reason] textarea",
            run: "click",
        },
        {
            content: "Its archive number is shown",
            trigger: `.o_form_renderer .o_field_widget[name=line_ids] .o_data_row:contains(KH-):contains(${ARCHIVE})`,
        },
        ...submitAccessRequestSteps(),
        {
            content: "The request waits for a marketing manager",
            trigger: ".o_form_renderer .o_statusbar_status .o_arrow_button_current:contains(Submitted)",
        },
    ],
});

registry.category("web_tour.tours").add("customer_archive_access_approve_tour", {
    steps: () => [
        ...approveAccessRequestSteps(ARCHIVE),
        {
            content: "Approved, with a grant",
            trigger: ".o_form_renderer .o_statusbar_status .o_arrow_button_current:contains(Approved)",
        },
        {
            content: "The grant is one click away",
            trigger: ".oe_stat_button[name=action_open_grants] .o_stat_value:contains(1)",
        },
    ],
});
