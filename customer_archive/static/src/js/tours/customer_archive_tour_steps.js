/** @odoo-module **/
/*
 * Steps the tours share.
 */

/**
 * The requester says why they need the archive (a joint visit next week) and
 * submits the access request.
 */
export function submitAccessRequestSteps() {
    return [
        {
            content: "Say why",
            trigger: ".o_form_renderer .o_field_widget[name=reason] textarea",
            run: "edit 下周联合拜访，需要查看联系人和交易记录",
        },
        {
            content: "Submit",
            trigger: ".o_form_renderer button[name=action_submit]",
            run: "click",
        },
    ];
}

/**
 * A manager approves the access request for `archiveName` from "To Approve":
 * open it, comment, approve. The caller checks what follows.
 */
export function approveAccessRequestSteps(archiveName, content = "Open the request to approve") {
    return [
        {
            content,
            trigger: `.o_list_renderer .o_data_row:contains(${archiveName}) .o_data_cell`,
            run: "click",
        },
        {
            content: "Comment",
            trigger: ".o_form_renderer .o_field_widget[name=approver_comment] textarea",
            run: "edit 同意，限一周",
        },
        {
            content: "Approve",
            trigger: ".o_form_renderer button[name=action_approve]",
            run: "click",
        },
    ];
}

/**
 * From Contacts, open Customer Archives → Analysis → Dashboard.
 */
export function openAnalysisDashboardSteps() {
    return [
        {
            content: "Open the Customer Archives menu",
            trigger: ".o_menu_sections [data-menu-xmlid='customer_archive.menu_customer_archive_root']",
            run: "click",
        },
        {
            content: "Open the analysis dashboard",
            trigger: ".dropdown-item[data-menu-xmlid='customer_archive.menu_customer_archive_analysis']",
            run: "click",
        },
    ];
}
