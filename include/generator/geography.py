"""Where customers live: US states weighted by population, their time zones, area codes, regions.

Pure data and small lookups (no database). Sources:

- Populations: US Census Bureau, 2020 Census resident population by state (April 1, 2020),
  table "Apportionment population and number of representatives" / P1 redistricting data.
- Time zones: 49 CFR part 71 (US standard time zone boundaries). States that span two zones
  carry the approximate population share of their minor zone (from county populations of
  the 2020 census, rounded: an approximation, not a census figure).
- Area codes: NANPA, "Area codes by state" (geographic NPAs in service; a subset per state).
- Regions: US Census Bureau census divisions (planted network outages hit one division).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

#: state -> 2020 census resident population.
STATE_POPULATION_2020 = {
    "AL": 5_024_279, "AK": 733_391, "AZ": 7_151_502, "AR": 3_011_524, "CA": 39_538_223,
    "CO": 5_773_714, "CT": 3_605_944, "DE": 989_948, "DC": 689_545, "FL": 21_538_187,
    "GA": 10_711_908, "HI": 1_455_271, "ID": 1_839_106, "IL": 12_812_508, "IN": 6_785_528,
    "IA": 3_190_369, "KS": 2_937_880, "KY": 4_505_836, "LA": 4_657_757, "ME": 1_362_359,
    "MD": 6_177_224, "MA": 7_029_917, "MI": 10_077_331, "MN": 5_706_494, "MS": 2_961_279,
    "MO": 6_154_913, "MT": 1_084_225, "NE": 1_961_504, "NV": 3_104_614, "NH": 1_377_529,
    "NJ": 9_288_994, "NM": 2_117_522, "NY": 20_201_249, "NC": 10_439_388, "ND": 779_094,
    "OH": 11_799_448, "OK": 3_959_353, "OR": 4_237_256, "PA": 13_002_700, "RI": 1_097_379,
    "SC": 5_118_425, "SD": 886_667, "TN": 6_910_840, "TX": 29_145_505, "UT": 3_271_616,
    "VT": 643_077, "VA": 8_631_393, "WA": 7_705_281, "WV": 1_793_716, "WI": 5_893_718,
    "WY": 576_851,
}  # fmt: skip

TIME_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
)
_E, _C, _M, _AZ, _P, _AK, _HI = range(len(TIME_ZONES))
_EASTERN = "CT DE DC FL GA IN KY ME MD MA MI NH NJ NY NC OH PA RI SC VT VA WV"
_CENTRAL = "AL AR IL IA KS LA MN MS MO NE ND OK SD TN TX WI"
_MOUNTAIN = "CO ID MT NM UT WY"
_PACIFIC = "CA NV OR WA"
#: state -> main time zone (index into TIME_ZONES).
STATE_ZONE = {
    **dict.fromkeys(_EASTERN.split(), _E),
    **dict.fromkeys(_CENTRAL.split(), _C),
    **dict.fromkeys(_MOUNTAIN.split(), _M),
    **dict.fromkeys(_PACIFIC.split(), _P),
    "AZ": _AZ,  # no daylight saving time (America/Phoenix)
    "AK": _AK,
    "HI": _HI,
}
#: States split between two zones: (minor zone, approximate share of the population in it).
STATE_MINOR_ZONE = {
    "FL": (_C, 0.05),  # western Panhandle
    "IN": (_C, 0.12),  # north-west (Gary) and south-west (Evansville) corners
    "KY": (_C, 0.35),  # western Kentucky (Bowling Green, Owensboro, Paducah)
    "TN": (_E, 0.35),  # East Tennessee (Knoxville, Chattanooga, Tri-Cities)
    "TX": (_M, 0.03),  # El Paso and Hudspeth counties
    "NE": (_M, 0.05),  # the Panhandle
    "ND": (_M, 0.10),  # south-west
    "SD": (_M, 0.25),  # West River (Rapid City)
    "ID": (_P, 0.18),  # the Idaho Panhandle
    "OR": (_M, 0.01),  # Malheur County
}

#: state -> geographic area codes (NANPA), a customer's phone number uses one of its state's.
STATE_AREA_CODES = {
    "AL": (205, 251, 256, 334), "AK": (907,), "AZ": (480, 520, 602, 623, 928),
    "AR": (479, 501, 870), "CA": (209, 213, 310, 408, 415, 510, 619, 626, 650, 714, 818, 916, 949),
    "CO": (303, 719, 720, 970), "CT": (203, 860), "DE": (302,), "DC": (202,),
    "FL": (305, 321, 352, 386, 407, 561, 727, 813, 850, 904, 954),
    "GA": (404, 470, 478, 678, 706, 770, 912), "HI": (808,), "ID": (208,),
    "IL": (217, 309, 312, 618, 630, 708, 773, 815, 847), "IN": (219, 260, 317, 574, 765, 812),
    "IA": (319, 515, 563, 641, 712), "KS": (316, 620, 785, 913), "KY": (270, 502, 606, 859),
    "LA": (225, 318, 337, 504, 985), "ME": (207,), "MD": (240, 301, 410, 443),
    "MA": (413, 508, 617, 781, 978), "MI": (231, 248, 313, 517, 586, 616, 734, 810, 989),
    "MN": (218, 320, 507, 612, 651, 763, 952), "MS": (228, 601, 662),
    "MO": (314, 417, 573, 636, 816), "MT": (406,), "NE": (308, 402), "NV": (702, 775),
    "NH": (603,), "NJ": (201, 609, 732, 856, 908, 973), "NM": (505, 575),
    "NY": (212, 315, 516, 518, 585, 607, 631, 716, 718, 845, 914),
    "NC": (252, 336, 704, 828, 910, 919, 980), "ND": (701,),
    "OH": (216, 330, 419, 440, 513, 614, 740, 937), "OK": (405, 580, 918), "OR": (503, 541, 971),
    "PA": (215, 267, 412, 484, 570, 610, 717, 724, 814), "RI": (401,), "SC": (803, 843, 864),
    "SD": (605,), "TN": (423, 615, 731, 865, 901, 931),
    "TX": (210, 214, 254, 281, 325, 361, 409, 432, 512, 713, 806, 817, 830, 903, 915, 936, 940,
           956, 972, 979),
    "UT": (385, 435, 801), "VT": (802,), "VA": (276, 434, 540, 571, 703, 757, 804),
    "WA": (206, 253, 360, 425, 509), "WV": (304,), "WI": (262, 414, 608, 715, 920), "WY": (307,),
}  # fmt: skip

#: Census divisions (US Census Bureau): the regions planted outages hit.
DIVISIONS = {
    "New England": "CT ME MA NH RI VT",
    "Middle Atlantic": "NJ NY PA",
    "East North Central": "IL IN MI OH WI",
    "West North Central": "IA KS MN MO NE ND SD",
    "South Atlantic": "DE DC FL GA MD NC SC VA WV",
    "East South Central": "AL KY MS TN",
    "West South Central": "AR LA OK TX",
    "Mountain": "AZ CO ID MT NV NM UT WY",
    "Pacific": "AK CA HI OR WA",
}

STATES = tuple(STATE_POPULATION_2020)
STATE_DIVISION = np.array(
    [list(DIVISIONS).index(next(d for d, s in DIVISIONS.items() if st in s.split())) for st in STATES],
    dtype=np.int8,
)
_STATE_CDF = np.cumsum(np.array(list(STATE_POPULATION_2020.values()), dtype=float))
_STATE_CDF /= _STATE_CDF[-1]


def draw_states(u: np.ndarray) -> np.ndarray:
    """State indexes (into STATES), population-weighted, from uniforms in [0, 1)."""
    return np.minimum(np.searchsorted(_STATE_CDF, u, side="right"), len(STATES) - 1).astype(np.int8)


def draw_zones(states: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Time zone indexes (into TIME_ZONES) of customers in `states`, from uniforms in [0, 1)."""
    main = np.array([STATE_ZONE[s] for s in STATES], dtype=np.int8)
    minor = np.array([STATE_MINOR_ZONE.get(s, (STATE_ZONE[s], 0.0))[0] for s in STATES], dtype=np.int8)
    share = np.array([STATE_MINOR_ZONE.get(s, (0, 0.0))[1] for s in STATES])
    return np.where(u < share[states], minor[states], main[states]).astype(np.int8)


def area_codes(states: np.ndarray, u: np.ndarray) -> np.ndarray:
    """An area code of each customer's state, uniform among the state's codes."""
    width = max(len(c) for c in STATE_AREA_CODES.values())
    table = np.zeros((len(STATES), width), dtype=np.int64)
    counts = np.zeros(len(STATES), dtype=np.int64)
    for i, st in enumerate(STATES):
        codes = STATE_AREA_CODES[st]
        table[i, : len(codes)] = codes
        counts[i] = len(codes)
    pick = np.minimum((u * counts[states]).astype(np.int64), counts[states] - 1)
    return table[states, pick]


@lru_cache(maxsize=512)
def utc_offsets(day: dt.date) -> np.ndarray:
    """Seconds each time zone is ahead of UTC (negative in the US) at noon UTC of `day`.

    One offset per zone and UTC day: the two nights a year clocks change, the few hours
    before the change use the new offset (documented approximation).
    """
    noon = dt.datetime.combine(day, dt.time(12), dt.UTC)
    return np.array(
        [noon.astimezone(ZoneInfo(z)).utcoffset().total_seconds() for z in TIME_ZONES], dtype=np.int64
    )
