/** @odoo-module **/
/**
 * Odoo's Import of customer archives: three options of the archive import
 * (what a row matching an existing archive does, all or nothing, the source
 * channel 收集渠道) in the side panel; the server checks their values.
 */
import { onWillStart } from "@odoo/owl";
import { BaseImportModel } from "@base_import/import_model";
import { ImportDataSidepanel } from "@base_import/import_data_sidepanel/import_data_sidepanel";
import { useService } from "@web/core/utils/hooks";
import { patch } from "@web/core/utils/patch";

patch(BaseImportModel.prototype, {
    async init() {
        await super.init(...arguments);
        if (this.resModel === "res.partner") {
            Object.assign(this.importOptionsValues, {
                archive_duplicate_mode: { value: "update" },
                archive_all_or_nothing: { value: false },
                archive_source_channel: { value: "" },
            });
        }
    },
});

patch(ImportDataSidepanel.prototype, {
    setup() {
        super.setup(...arguments);
        this.archiveImportSelections = { channels: [], modes: [] };
        if (this.props.options.archive_duplicate_mode === undefined) {
            return;
        }
        const orm = useService("orm");
        onWillStart(async () => {
            const [partnerFields, batchFields] = await Promise.all([
                orm.call("res.partner", "fields_get", [["archive_source_channel"]], {
                    attributes: ["selection"],
                }),
                orm.call("customer.archive.import.batch", "fields_get", [["duplicate_mode"]], {
                    attributes: ["selection"],
                }),
            ]);
            this.archiveImportSelections = {
                channels: partnerFields.archive_source_channel.selection,
                modes: batchFields.duplicate_mode.selection,
            };
        });
    },
});
