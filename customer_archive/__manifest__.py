{
    "name": "Customer Archive",
    "summary": "Customer archive management (客户档案管理) on top of Odoo Contacts",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/customer-archive/customer-archive",
    "author": "Customer Archive Team",
    "maintainers": ["customer-archive"],
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["contacts", "mail", "hr"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        # security
        "security/groups.xml",
        "security/ir.model.access.csv",
        # data
        "data/ir_sequence_data.xml",
        "data/customer_archive_required_field_data.xml",
        # views
        "views/customer_archive_transaction_views.xml",
        "views/customer_archive_feedback_views.xml",
        "views/customer_archive_required_field_views.xml",
        "views/res_partner_views.xml",
        "views/res_partner_data_quality_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/res_partner_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
}
