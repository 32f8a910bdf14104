"""Pinyin and the short-substring index of names (中文检索).

Pure functions, shared by res.partner (its stored search columns) and the
scale benchmark (which fills those columns for generated rows).
"""

import re

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
# What a user types for a pinyin search: letters, digits, spaces, apostrophes (xi'an).
PINYIN_QUERY = re.compile(r"^[0-9A-Za-z' ]+$")
# Searches up to this many characters use the gram column (pg_trgm needs 3).
SHORT_SEARCH = 2


def _compact(parts):
    return _NOT_ALNUM.sub("", "".join(parts).lower())


def _pinyin(name, initials=False):
    # pypinyin loads its dictionaries (about 60 MB) when imported: imported
    # on first use, so that only the workers that save names hold them.
    from pypinyin import Style, lazy_pinyin

    return _compact(lazy_pinyin(name, style=Style.FIRST_LETTER if initials else Style.NORMAL))


def name_pinyin(name):
    """Full pinyin of ``name``, lowercase, without tones, spaces or punctuation
    (张伟 → zhangwei, 重庆 → chongqing; other letters and digits are kept:
    ABC科技 → abckeji)."""
    return _pinyin(name) if name else ""


def name_initials(name):
    """Initials of the pinyin of ``name`` (张伟 → zw; ABC科技 → abckj)."""
    return _pinyin(name, initials=True) if name else ""


def search_grams(*values):
    """Every character and every pair of adjacent characters of ``values``,
    lowercase, distinct, separated by spaces (whitespace is never part of a
    gram). A search of one or two characters matches a value as a substring
    exactly when its lowercase form is one of these grams."""
    grams = set()
    for value in values:
        if not value:
            continue
        text = value.lower()
        for index, char in enumerate(text):
            if char.isspace():
                continue
            grams.add(char)
            pair = text[index : index + 2]
            if len(pair) == 2 and not pair[1].isspace():
                grams.add(pair)
    return " ".join(sorted(grams))


def pinyin_query(value):
    """The compact form of a search that can be pinyin (zhang wei → zhangwei), or ''."""
    if not value or not PINYIN_QUERY.match(value):
        return ""
    return _NOT_ALNUM.sub("", value.lower())
