/** @odoo-module **/
/*
 * A rep creates a customer archive in Contacts, then finds it again by its
 * phone number in the search bar and opens it. The test that runs this tour
 * (tests/test_ui_tour.py) checks afterwards that the archive has a number.
 */
import { registry } from "@web/core/registry";

const CUSTOMER_NAME = "华东物流有限公司";
// As Odoo stores it for a company in China (phone formatting, E.164 with spaces).
const CUSTOMER_PHONE = "+86 21 6321 7788";

registry.category("web_tour.tours").add("customer_archive_tour", {
    url: "/odoo/contacts",
    steps: () => [
        {
            content: "Create a new contact",
            trigger: ".o_control_panel .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Enter the customer's name",
            // a textarea, or an input when partner_autocomplete is installed
            trigger: ".o_form_renderer .o_field_widget[name=name] .o_input",
            run: `edit ${CUSTOMER_NAME}`,
        },
        {
            content: "Enter the customer's phone",
            trigger: ".o_form_renderer .o_field_widget[name=phone] input",
            run: `edit ${CUSTOMER_PHONE}`,
        },
        {
            content: "Save the archive",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The saved archive shows its archive number",
            trigger: ".o_form_saved .o_field_widget[name=archive_number] span:contains(KH-)",
        },
        {
            content: "Back to the Contacts",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Contacts)",
            run: "click",
        },
        {
            content: "Search by the phone number",
            trigger: ".o_searchview_input",
            run: `edit ${CUSTOMER_PHONE}`,
        },
        {
            content: "Search the phone field",
            trigger: ".o_searchview_autocomplete .o_menu_item:contains(Phone):contains(6321 7788)",
            run: "click",
        },
        {
            content: "Only the new archive is found",
            trigger: `.o_kanban_renderer:has(.o_kanban_record:contains("${CUSTOMER_NAME}")):not(:has(.o_kanban_record:not(.o_kanban_ghost):not(:contains("${CUSTOMER_NAME}"))))`,
        },
        {
            content: "Open the archive found",
            trigger: `.o_kanban_record:contains("${CUSTOMER_NAME}")`,
            run: "click",
        },
        {
            content: "The archive form is open on the customer",
            trigger: `.o_form_renderer .o_field_widget[name=name] .o_input:value("${CUSTOMER_NAME}")`,
        },
        {
            content: "Its archive page is there",
            trigger: ".o_form_renderer .o_notebook a.nav-link:contains(Archive)",
            run: "click",
        },
        {
            content: "The phone is the one searched for",
            trigger: `.o_form_renderer .o_field_widget[name=phone] input:value("${CUSTOMER_PHONE}")`,
        },
    ],
});
