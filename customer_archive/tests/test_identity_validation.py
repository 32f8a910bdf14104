from odoo.tests import TransactionCase, tagged

from odoo.addons.customer_archive.tools import identity

# Published examples: a Fujian company's Unified Social Credit Code and the
# sample resident ID number of the GB 11643-1999 standard.
VALID_USCC = "91350100M000100Y43"
VALID_ID = "11010519491231002X"


@tagged("post_install", "-at_install")
class TestIdentityCodes(TransactionCase):
    def test_uscc_check_character(self):
        self.assertTrue(identity.is_valid_uscc(VALID_USCC))
        self.assertTrue(identity.is_valid_uscc("9135 0100 M000 100Y 43".lower()))
        self.assertFalse(identity.is_valid_uscc("91350100M000100Y44"))  # wrong check character
        self.assertFalse(identity.is_valid_uscc("91350100M000100Y4"))  # 17 characters
        self.assertFalse(identity.is_valid_uscc("9135010OM000100Y43"))  # letter O is not allowed
        # every check character the algorithm gives is accepted
        body = "91110108MA01ABCD1"
        self.assertTrue(identity.is_valid_uscc(body + identity.uscc_check_character(body)))

    def test_resident_id_check_digit_and_birth_date(self):
        self.assertTrue(identity.is_valid_resident_id(VALID_ID))
        self.assertFalse(identity.is_valid_resident_id("110105194912310021"))  # wrong check digit
        self.assertEqual(str(identity.resident_id_birth_date(VALID_ID)), "1949-12-31")
        body = "11010519990231002"  # 31 February
        self.assertFalse(identity.is_valid_resident_id(body + identity.resident_id_check_digit(body)))
        body = "44030420991231123"  # born in the future
        self.assertFalse(identity.is_valid_resident_id(body + identity.resident_id_check_digit(body)))
        body = "44030419900307123"
        self.assertTrue(identity.is_valid_resident_id(body + identity.resident_id_check_digit(body)))

    def test_phone_and_email_formats(self):
        for phone in ("+86 21 5080 1234", "138 0013 8000", "021-50801234", "(0571) 8888-1234"):
            self.assertTrue(identity.is_valid_phone(phone), phone)
        for phone in ("call me", "12ab34", "123"):
            self.assertFalse(identity.is_valid_phone(phone), phone)
        self.assertTrue(identity.is_valid_email("li.ming@example.com.cn"))
        self.assertFalse(identity.is_valid_email("li.ming@example"))
        self.assertFalse(identity.is_valid_email("li ming@example.com"))
        self.assertEqual(identity.phone_digits("+86 21 5080 1234"), identity.phone_digits("021-5080 1234"))

    def test_published_codes_of_well_known_companies(self):
        # Unified Social Credit Codes printed on the business licences of
        # Huawei Technologies, Alibaba (China) and Shenzhen Tencent
        for code in ("914403001922038216", "91330100799655058B", "9144030071526726XG"):
            self.assertTrue(identity.is_valid_uscc(code), code)
            # a wrong check character is refused
            wrong = code[:17] + ("0" if code[17] != "0" else "1")
            self.assertFalse(identity.is_valid_uscc(wrong), wrong)
        # the two examples of GB 11643-1999
        for number in ("11010519491231002X", "440524188001010014"):
            self.assertTrue(identity.is_valid_resident_id(number), number)
        self.assertEqual(str(identity.resident_id_birth_date("440524188001010014")), "1880-01-01")
        self.assertEqual(identity.normalize_code(" 1101 0519 4912 3100 2x "), VALID_ID)
