def post_init_hook(env):
    """Turn the customers already in Contacts into archives.

    Partners of users and of companies, and child contacts, are not customer
    archives; every other partner gets an archive number and date.
    """
    env["res.partner"]._init_existing_customer_archives()
