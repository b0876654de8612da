"""Normalisation for duplicate detection: phones, e-mails, company names, credit codes."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

# legal-form suffixes and noise removed before names are compared (longest first)
_CN_NOISE = [
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团公司",
    "集团",
    "总公司",
    "分公司",
    "公司",
    "（中国）",
    "(中国)",
    "中国",
]
_EN_NOISE = re.compile(
    r"\b(co|company|corp|corporation|inc|incorporated|ltd|limited|llc|plc|gmbh|group|holdings?)\b\.?",
    re.IGNORECASE,
)
_CN_MOBILE = re.compile(r"1(?:[3-68]\d|7[0-8]|9\d)\d{8}", re.ASCII)
_PUNCT = re.compile(r"[\s\.,，。·•'\"“”‘’\-_/\\&()（）\[\]【】<>《》]+")


def normalize_phone(raw: str, region: str = "CN") -> str | None:
    """E.164 (`+8613800138000`), or None when the text is not a plausible number."""
    text = raw.strip()
    if not text:
        return None
    if region == "CN" and _CN_MOBILE.fullmatch(text):
        # the commonest form, answered as phonenumbers does without parsing (179xx is a
        # carrier prefix that phonenumbers may strip: parsed below)
        return "+86" + text
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_phones(raws: list[str], region: str = "CN") -> list[str]:
    out: list[str] = []
    for raw in raws:
        phone = normalize_phone(raw, region)
        if phone and phone not in out:
            out.append(phone)
    return out


def normalize_email(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    return raw.strip().lower()


def normalize_company_name(raw: str) -> str:
    """Comparable form of a company name: NFKC (full-width → half-width), lower case, legal
    suffixes and region markers such as 有限公司 / (中国) / Co., Ltd. removed, no spaces or
    punctuation. `阿里巴巴（中国）有限公司` and `阿里巴巴` compare equal."""
    text = unicodedata.normalize("NFKC", raw).lower()
    for noise in _CN_NOISE:
        text = text.replace(unicodedata.normalize("NFKC", noise), " ")
    text = _EN_NOISE.sub(" ", text)
    text = _PUNCT.sub("", text)
    return text or unicodedata.normalize("NFKC", raw).lower().strip()


# GB 32100-2015: unified social credit code, 18 characters, last one a check character
_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code_valid(code: str) -> bool:
    """Whether `code` is a well-formed 统一社会信用代码 with a correct check character."""
    code = code.strip().upper()
    if len(code) != 18 or any(c not in _CODE_CHARS for c in code):
        return False
    total = sum(_CODE_CHARS.index(c) * w for c, w in zip(code[:17], _CODE_WEIGHTS, strict=True))
    check = (31 - total % 31) % 31
    return _CODE_CHARS[check] == code[17]
