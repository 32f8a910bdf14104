/** @odoo-module **/
/*
 * A rep opens My Pool, opens a customer waiting there (its phone masked),
 * claims it and sees its phone in full. The test that runs this tour
 * (tests/test_pool_ui.py) checks afterwards that the rep holds it.
 */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("customer_archive_pool_tour", {
    url: "/odoo/customer-pool",
    steps: () => [
        {
            content: "Open the customer waiting in the pool",
            trigger: ".o_list_view .o_data_cell:contains(池中客户测试有限公司)",
            run: "click",
        },
        {
            content: "Its phone is masked before the claim",
            trigger: ".o_form_view .o_field_widget[name=phone]:contains(021****1234)",
        },
        {
            content: "Claim the customer",
            trigger: ".o_form_view .o_form_statusbar button[name=action_archive_pool_claim]",
            run: "click",
        },
        {
            content: "After the claim the phone shows in full",
            trigger: ".o_form_view .o_field_widget[name=phone] input:value(+86 21 5888 1234)",
        },
        {
            content: "The claim button is gone",
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name=action_archive_pool_claim]))",
        },
    ],
});
