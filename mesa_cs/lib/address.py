"""Street addresses compared the way a clerk reads them.

``1425 East University Drive`` and ``1425 E. University Dr`` are the same
premise: upper case, no punctuation, single spaces and the usual USPS
abbreviations. Used by account search and by the alarm feed's address match.
"""

import re

ABBREVIATIONS = {
    "NORTH": "N",
    "SOUTH": "S",
    "EAST": "E",
    "WEST": "W",
    "STREET": "ST",
    "ROAD": "RD",
    "AVENUE": "AVE",
    "AV": "AVE",
    "DRIVE": "DR",
    "BOULEVARD": "BLVD",
    "LANE": "LN",
    "COURT": "CT",
    "CIRCLE": "CIR",
    "PLACE": "PL",
    "PARKWAY": "PKWY",
    "TRAIL": "TRL",
    "TERRACE": "TER",
    "HIGHWAY": "HWY",
    "EXPRESSWAY": "EXPY",
    "FREEWAY": "FWY",
    "SQUARE": "SQ",
    "LOOP": "LOOP",
    "WAY": "WAY",
    "APARTMENT": "UNIT",
    "APT": "UNIT",
    "SUITE": "STE",
    "NUMBER": "UNIT",
}

_PUNCTUATION = re.compile(r"[.,;:'\"()]")
_HASH = re.compile(r"#\s*")
_SPACES = re.compile(r"\s+")


def normalize_address(text: str) -> str:
    text = _HASH.sub(" UNIT ", (text or "").upper())
    text = _PUNCTUATION.sub(" ", text)
    words = []
    for word in _SPACES.split(text.strip()):
        word = ABBREVIATIONS.get(word, word)
        if word and not (word == "UNIT" and words and words[-1] == "UNIT"):
            words.append(word)
    return " ".join(words)
