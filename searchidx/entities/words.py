"""Word lists and country names the corpus decisions (`entities/decide.py`) judge values by."""

from __future__ import annotations

from functools import cache

from searchidx.entities.clean import INSTITUTION_WORDS, NATIONALITIES, variant_key


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


TIME_ZONES = _set("gmt bst utc cet cest eet eest aest aedt acst awst est edt cst cdt mst mdt"
                  " pst pdt ist jst kst hkt sgt nzst nzdt wib msk")  # fmt: skip
LEGAL_FORMS = _set("ltd limited inc incorporated plc llc llp lp corp corporation co gmbh ag sa nv"
                   " bv spa srl ab asa oyj kk pty pte")  # fmt: skip
UNITS = _set("gb mb kb tb gbit mbit mbps kbps gbps ghz mhz khz hz mph kph kg km mm cm mw kw gw"
             " kwh mwh bn mn"
             # newswire table abbreviations: dollars, cents, percent, million, billion, shares,
             # revenues, average ("Revs 12.4 mln dlrs")
             " dlrs dlr cts pct mln bln shr shrs revs avg")  # fmt: skip
# Capitalised common words spaCy takes for names in headlines and sentence starts
GENERIC = _set("home house budget digital cabinet government online internet web mobile"
               " broadband state court")  # fmt: skip
SPORTS = _set(
    """soccer football baseball basketball cricket rugby tennis golf athletics boxing cycling
    hockey volleyball handball swimming skiing motorsport snooker darts sailing rowing"""
)
DEMONYM_NOUNS = _set("briton britons brit brits scot scots yank yanks kiwi kiwis aussie aussies")
# last words of team names ("Manchester United", "Leeds Rovers"): an organisation, not a person
TEAM_WORDS = _set("united utd city rovers athletic albion wanderers rangers hotspur fc afc")
# last words of the names of awards ("Academy Awards", "Turner Prize"): no body gives itself one
AWARD_WORDS = _set("award awards prize prizes trophy medal medals")
PLURAL_BODIES = _set("ministries agencies departments bureaus bureaux committees councils"
                     " parties forces offices")  # fmt: skip


# English short names that pycountry spells otherwise ("Russian Federation", "Viet Nam")
COUNTRY_SHORT_NAMES = (
    "England", "Scotland", "Wales", "Northern Ireland", "Britain", "Great Britain", "Russia",
    "Vietnam", "Czech Republic", "Macedonia", "Ivory Coast", "Burma", "Brunei", "Cape Verde",
    "East Timor", "Swaziland", "Vatican", "Kosovo", "Zaire", "Soviet Union",
)  # fmt: skip


@cache
def country_keys() -> frozenset[str]:
    """Variant keys of country names: pycountry's current and former countries (the part
    before a comma too: "Iran, Islamic Republic of"), the English short names above and the
    initials of `country_acronyms`."""
    import pycountry

    names = {variant_key(name) for name in COUNTRY_SHORT_NAMES}
    for country in [*pycountry.countries, *pycountry.historic_countries]:
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                names.add(variant_key(name.split(",")[0]))
    return frozenset(names | set(country_acronyms()))


def country_acronyms() -> dict[str, str]:
    """Key of the initials news use for a country's official name -> the name it is known by.
    A short table: generated from every official name, initials collide with bodies ("IRA",
    Islamic Republic of Afghanistan)."""
    return {variant_key(acronym): name for acronym, name in COUNTRY_ACRONYMS}


COUNTRY_ACRONYMS = (
    ("DPRK", "North Korea"), ("ROK", "South Korea"), ("PRC", "China"), ("DRC", "Congo"),
    ("KSA", "Saudi Arabia"), ("RSA", "South Africa"),
)  # fmt: skip


def junk_reason(kind: str, value: str) -> str | None:
    """Why `value` is no name of `kind` (corpus evidence aside), or None."""
    key = variant_key(value)
    words = key.split()
    if key in TIME_ZONES:
        return "time zone"
    if key in LEGAL_FORMS:
        return "legal form alone"
    if key in UNITS:
        return "unit"
    if key in GENERIC:
        return "generic word"
    if key in SPORTS:
        return "a sport"  # "SOCCER - ..." opens many sports headlines
    if key in NATIONALITIES | DEMONYM_NOUNS or (key.endswith("s") and key[:-1] in NATIONALITIES):
        return "nationality word"
    if len(value.split()) == 1 and "-" in value and any(p[:1].islower() for p in value.split("-")):
        return "a word made from a name"  # "Oscar-winner", "ex-Yukos"
    if len(words) >= 2 and words[-1] in AWARD_WORDS:
        return "an award"
    if kind == "organisations" and "and" in words and words[-1] in PLURAL_BODIES:
        return "several bodies in one span"
    return None


MONTHS_AND_DAYS = _set(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun"""
)
ORDINALS = _set("first second third fourth fifth sixth seventh eighth ninth tenth last next")

BODY_WORDS = INSTITUTION_WORDS | LEGAL_FORMS | TEAM_WORDS | _set(
    "bank group news times post journal airlines airways motors motor systems holdings club"
    " association federation union league cup tour open company companies partners capital"
    " trust fund foundation institute university college school hospital records studios"
    " pictures entertainment media network railways energy oil industries international"
)  # fmt: skip
