/** @odoo-module **/
/*
 * The first hour of a rep in 简体中文 (issue "first hour"), run by
 * tests/test_ui_first_hour.py, which prepares the data and checks the
 * records afterwards:
 * 1. the rep creates a company archive: archive date and responsible rep
 *    are filled, amounts are in ¥;
 * 2. the rep marks the planned visit of a customer done, with the key
 *    person met, and sees it in the interaction history at once (dates
 *    in the user's time zone, without seconds);
 * 3. the rep opens an archive they may not read: a "no access" message
 *    without the archive's name, and from it an access request;
 * 4. the marketing manager approves the request.
 * Selectors use field and page names, not labels: the users read Chinese.
 */
import { registry } from "@web/core/registry";
import {
    approveAccessRequestSteps,
    submitAccessRequestSteps,
} from "@customer_archive/js/tours/customer_archive_tour_steps";

const NEW_ARCHIVE = "华南电子科技有限公司";
const REP_NAME = "张伟";
const KEY_PERSON = "孙海涛";
const KEY_PERSON_POSITION = "营销总监";
const VISIT_SUMMARY = "季度拜访营销总监";
const EARLIER_VISIT = "上次拜访";
const RESTRICTED_ARCHIVE = "华北重工集团";

function assert(condition, message) {
    if (!condition) {
        throw new Error(message);
    }
}

registry.category("web_tour.tours").add("customer_archive_first_hour_create_tour", {
    steps: () => [
        {
            content: "New archive",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "Customer name",
            trigger: ".o_form_renderer .o_field_widget[name=name] .o_input",
            run: `edit ${NEW_ARCHIVE}`,
        },
        {
            content: "Open the archive page",
            trigger: ".o_form_renderer .o_notebook .nav-link[name=customer_archive]",
            run: "click",
        },
        {
            content: "The archive date is today already",
            trigger: ".o_form_renderer .o_notebook .o_field_widget[name=archive_date] input",
            run({ anchor }) {
                assert(anchor.value, "the archive date (建档日期) is empty");
            },
        },
        {
            content: "The rep is the responsible rep",
            trigger: `.o_form_renderer .o_notebook .o_field_widget[name=user_id] input:value(${REP_NAME})`,
        },
        {
            content: "Registered capital",
            trigger: ".o_form_renderer .o_field_widget[name=archive_registered_capital] input",
            run: "edit 1800000",
        },
        {
            content: "The amount is in ¥",
            trigger: ".o_form_renderer .o_field_widget[name=archive_registered_capital]:contains(¥)",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved with its archive number",
            trigger: ".o_form_saved .o_field_widget[name=archive_number] span:contains(KH-)",
        },
        {
            content: "The date is still there after saving",
            trigger: ".o_form_saved .o_field_widget[name=archive_date] input",
            run({ anchor }) {
                assert(anchor.value, "the saved archive has no archive date");
            },
        },
    ],
});

registry.category("web_tour.tours").add("customer_archive_first_hour_visit_tour", {
    steps: () => [
        {
            content: "Mark the planned visit done in the chatter",
            trigger: `.o-mail-Activity:contains(${VISIT_SUMMARY}) .o-mail-Activity-markDone`,
            run: "click",
        },
        {
            content: "The dialog asks whom the rep met",
            trigger: ".modal .o_field_widget[name=person_met_id] input",
            run: `edit ${KEY_PERSON}`,
        },
        {
            content: "Pick the key person",
            trigger: `.o-autocomplete--dropdown-item:contains(${KEY_PERSON})`,
            run: "click",
        },
        {
            content: "Their position comes from the key person",
            trigger: `.modal .o_field_widget[name=person_rank] input:value(${KEY_PERSON_POSITION})`,
        },
        {
            content: "The outcome",
            trigger: ".modal .o_field_widget[name=feedback] textarea",
            run: "edit 同意试订一批",
        },
        {
            content: "Done",
            trigger: ".modal button[name=action_done]",
            run: "click",
        },
        {
            content: "The visit is no longer planned",
            trigger: `.o-mail-Chatter:not(:has(.o-mail-Activity:contains(${VISIT_SUMMARY})))`,
        },
        {
            content: "Open the interaction history (no reload)",
            trigger: ".o_form_renderer .o_notebook .nav-link[name=archive_interactions]",
            run: "click",
        },
        {
            content: "The visit is in the history with the person met and the position",
            trigger: `.o_field_widget[name=archive_interaction_ids] .o_data_row:contains(${KEY_PERSON}):contains(${KEY_PERSON_POSITION}):contains(${VISIT_SUMMARY})`,
        },
        {
            content: "Dates are in the user's time zone (09:30 in Shanghai), without seconds",
            trigger: `.o_field_widget[name=archive_interaction_ids] .o_data_row:contains(${EARLIER_VISIT}) td[name=date]`,
            run({ anchor }) {
                const text = anchor.textContent.trim();
                assert(/09\D30/.test(text), `the earlier visit shows "${text}", not 09:30 in Shanghai`);
                assert(!/09\D30\D\d\d/.test(text), `the earlier visit shows seconds: "${text}"`);
            },
        },
    ],
});

registry.category("web_tour.tours").add("customer_archive_first_hour_no_access_tour", {
    steps: () => [
        {
            content: "A clear message instead of the generic access error, without the archive's name",
            trigger: `.modal .o_customer_archive_no_access:not(:contains(${RESTRICTED_ARCHIVE}))`,
        },
        {
            content: "Request access from the message",
            trigger: ".modal .o_customer_archive_request_access",
            run: "click",
        },
        {
            content: "The request names the archive by its number",
            trigger: ".o_form_renderer .o_field_widget[name=line_ids] .o_data_row:contains(KH-)",
        },
        ...submitAccessRequestSteps(),
        {
            content: "Submitted",
            trigger: ".o_form_renderer .o_statusbar_status .o_arrow_button_current[data-value=submitted]",
        },
    ],
});

registry.category("web_tour.tours").add("customer_archive_first_hour_approve_tour", {
    steps: () => [
        ...approveAccessRequestSteps(RESTRICTED_ARCHIVE, "The request names the archive for the manager"),
        {
            content: "Approved",
            trigger: ".o_form_renderer .o_statusbar_status .o_arrow_button_current[data-value=approved]",
        },
    ],
});
