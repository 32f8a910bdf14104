/** @odoo-module **/
/*
 * A marketing manager opens the analysis dashboard, follows "Distribution
 * over Time" in its Tiers section, reads the stacked graph of the tiers per
 * month, switches to the pivot and opens the archives of tier A of this
 * month. The test (tests/test_tier_distribution.py) checks the figures.
 */
import { registry } from "@web/core/registry";
import { openAnalysisDashboardSteps } from "@customer_archive/js/tours/customer_archive_tour_steps";

registry.category("web_tour.tours").add("customer_archive_tier_distribution_tour", {
    url: "/odoo/contacts",
    steps: () => [
        ...openAnalysisDashboardSteps(),
        {
            content: "Follow the tier distribution over time",
            trigger: ".o_form_view div[name=section_tiers] button:contains(分布趋势)",
            run: "click",
        },
        {
            content: "The stacked graph of the tiers per month",
            trigger: ".o_graph_view .o_graph_renderer canvas",
        },
        {
            content: "Switch to the pivot",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "The pivot has a row per month and a column per tier",
            trigger: ".o_pivot table thead th:contains(A)",
        },
        {
            content: "Switch to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The list has a row per archive and month",
            trigger: ".o_list_view .o_data_row td[name=tier]:contains(A)",
        },
    ],
});
