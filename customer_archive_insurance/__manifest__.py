{
    "name": "Customer Archive - Insurance",
    "summary": "Insurance vertical for the customer archive: policies, health and risk, claims",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/customer-archive/customer-archive",
    "author": "Customer Archive Team",
    "maintainers": ["customer-archive"],
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["customer_archive"],
    "data": [
        # security
        "security/groups.xml",
        "security/ir.model.access.csv",
        # views
        "views/res_partner_views.xml",
        "views/menus.xml",
    ],
    "demo": [],
}
