"""Masking (脱敏) of personal data for readers without the sensitive-data
group, the way Chinese users expect it: ID 110105********1234, account
****5678, phone 138****5678. Pure functions, no Odoo."""

import re

MASK = "*"
HIDDEN_TEXT = "******"


def mask_resident_id(value):
    """First 6 (region) and last 4 characters of an ID number."""
    code = re.sub(r"[\s\-]", "", value or "")
    if not code:
        return False
    if len(code) <= 10:
        return MASK * len(code)
    return code[:6] + MASK * (len(code) - 10) + code[-4:]


def mask_account(value):
    """Only the last 4 digits of an account number."""
    digits = re.sub(r"[\s\-]", "", value or "")
    if not digits:
        return False
    return MASK * 4 + digits[-4:]


def mask_phone(value):
    """First 3 and last 4 digits of a phone number (a mobile: 138****5678, a
    landline 021****1234); a number stored in the international format
    (+86 21 5888 1234, as phone validation stores it) is masked in its national
    form. Short numbers keep only their last 2 digits."""
    text = (value or "").strip()
    digits = re.sub(r"\D", "", text)
    if not digits:
        return value or False
    if text.startswith("+86") or text.startswith("0086"):
        digits = digits[2:] if text.startswith("+") else digits[4:]
        # national form: mobiles are 1xx xxxx xxxx, landlines take their trunk 0
        if not (digits.startswith("1") and len(digits) == 11):
            digits = "0" + digits
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) >= 7:
        return digits[:3] + MASK * (len(digits) - 7) + digits[-4:]
    return MASK * (len(digits) - 2) + digits[-2:]


def mask_text(value):
    """Free text (family situation): only that it is filled."""
    return HIDDEN_TEXT if value else False


def mask_email(value):
    """First character of the local part and the domain of an e-mail
    (z***@example.com)."""
    text = (value or "").strip()
    if not text:
        return value or False
    local, at, domain = text.rpartition("@")
    if not at:
        return HIDDEN_TEXT
    return local[:1] + MASK * 3 + at + domain
