/** @odoo-module **/
/*
 * A marketing manager opens Contacts → Customer Archives → Analysis →
 * Dashboard, reads the figures, clicks the number of tier-A customers and
 * lands on the list of those archives, then opens one on its Analysis page.
 * Selectors use field names and menu xml ids: the demo manager works in
 * 简体中文. The test (tests/test_ui_analysis.py) checks the figure first.
 */
import { registry } from "@web/core/registry";
import { openAnalysisDashboardSteps } from "@customer_archive/js/tours/customer_archive_tour_steps";

registry.category("web_tour.tours").add("customer_archive_analysis_tour", {
    url: "/odoo/contacts",
    steps: () => [
        ...openAnalysisDashboardSteps(),
        {
            content: "The dashboard shows its satisfaction figures",
            trigger: ".o_form_view .o_field_widget[name=satisfaction_avg]",
        },
        {
            content: "Amounts of the dashboard carry the company's currency (¥)",
            trigger: ".o_form_view .o_field_widget[name=top_value]:contains(¥)",
        },
        {
            content: "Click the number of tier-A customers",
            trigger: "button[name=action_open_figure]:has(.o_field_widget[name=tier_a_count])",
            run: "click",
        },
        {
            content: "The tier-A archives are listed",
            trigger: ".o_list_view .o_data_row:contains(上海华信科技有限公司)",
        },
        {
            content: "Only tier-A archives are in the list",
            trigger: ".o_list_view:not(:has(.o_data_row td[name=archive_tier]:not(:contains(A))))",
        },
        {
            content: "Open one of them",
            trigger: ".o_list_view .o_data_row td:contains(上海华信科技有限公司)",
            run: "click",
        },
        {
            content: "Its Analysis page",
            trigger: ".o_form_renderer .o_notebook a.nav-link[name=archive_analysis]",
            run: "click",
        },
        {
            content: "The RFM segment is shown",
            trigger: ".o_form_renderer .o_field_widget[name=archive_rfm_segment]",
        },
    ],
});
