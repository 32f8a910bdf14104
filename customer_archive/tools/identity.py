"""Check digits and formats of Chinese identity codes, phones and e-mails.

Pure functions, no Odoo: they are used by the partner constraints and tested
with published valid and invalid codes.
"""

import datetime
import re

# GB 32100-2015: the 31 characters of the Unified Social Credit Code (no I, O, S, V, Z)
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

# GB 11643-1999: the 18-digit citizen identity number
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"
RESIDENT_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")

PHONE_PATTERN = re.compile(r"^\+?[\d\s\-().]{5,}(?:\s*(?:ext\.?|x|转)\s*\d{1,6})?$", re.IGNORECASE)
PHONE_EXTENSION_PATTERN = re.compile(r"\s*(?:ext\.?|x|转)\s*\d{1,6}\s*$", re.IGNORECASE)
EMAIL_PATTERN = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]{2,}$")


def normalize_code(value):
    """Upper-case, without spaces or dashes: how codes are stored and compared."""
    return re.sub(r"[\s\-]", "", value or "").upper()


def uscc_check_character(first17):
    total = sum(USCC_CHARSET.index(char) * weight for char, weight in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def is_valid_uscc(value):
    """True when ``value`` is an 18-character Unified Social Credit Code whose
    last character is the GB 32100-2015 check character."""
    code = normalize_code(value)
    if not USCC_PATTERN.match(code):
        return False
    return uscc_check_character(code[:17]) == code[17]


def resident_id_check_digit(first17):
    total = sum(int(digit) * weight for digit, weight in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK[total % 11]


def resident_id_birth_date(value):
    """The birth date inside an 18-digit resident ID number, or None when the
    eight digits are not a real date."""
    code = normalize_code(value)
    try:
        return datetime.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return None


def is_valid_resident_id(value, today=None):
    """True when ``value`` is an 18-digit resident ID number with a correct
    GB 11643-1999 check digit and a real birth date not in the future."""
    code = normalize_code(value)
    if not RESIDENT_ID_PATTERN.match(code):
        return False
    birth = resident_id_birth_date(code)
    if not birth or birth > (today or datetime.date.today()) or birth.year < 1880:
        return False
    return resident_id_check_digit(code[:17]) == code[17]


def is_valid_phone(value):
    """Lenient: digits with spaces, dashes, dots, brackets, an optional leading
    + and extension; at least 5 digits, no letters."""
    value = (value or "").strip()
    if not value:
        return True
    return bool(PHONE_PATTERN.match(value)) and sum(char.isdigit() for char in value) >= 5


def is_valid_email(value):
    value = (value or "").strip()
    return not value or bool(EMAIL_PATTERN.match(value))


def split_phone_extension(value):
    """(number, extension text or ''): "021 5080 1234 转 8001" →
    ("021 5080 1234", "转 8001"), so that the number alone is checked."""
    match = PHONE_EXTENSION_PATTERN.search(value or "")
    if not match:
        return value, ""
    return value[: match.start()].strip(), match.group(0).strip()


def phone_digits(value):
    """Digits of a phone number without the Chinese country code, for comparing."""
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) > 11:
        digits = digits[2:]
    return digits.lstrip("0")
