"""Who a customer is: name, e-mail, phone and address, drawn once per customer as numpy strings.

A pure function of (seed, customer id, state, time zone): Faker's en_US word lists indexed by
stable hashes (vectorized, reproducible), cities by population, phones from the city's exchanges.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from include.generator import geography, parameters
from include.generator.stable_random import FIELDS, uniform

#: numpy's variable-width strings: whole columns are formatted and joined in C.
TEXT = np.dtypes.StringDType()


def join_strings(*columns: np.ndarray | str) -> np.ndarray:
    """Element-wise concatenation of string columns (and constant strings)."""
    out = columns[0]
    for column in columns[1:]:
        out = np.strings.add(out, column)
    return out


def _weighted(words: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    cdf = np.cumsum(np.array(list(words.values()), dtype=float))
    return np.array(list(words), dtype=object), cdf / cdf[-1]


@lru_cache(maxsize=1)
def faker_vocabulary() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Faker's en_US word lists and frequencies, drawn from with stable hashes below.

    Calling Faker per customer costs ~0.3 ms (a fresh database pays it for every customer
    since 2015); indexing its lists is vectorized and just as reproducible.
    """
    from faker.providers.address.en_US import Provider as Address
    from faker.providers.person.en_US import Provider as Person

    return {
        "first": _weighted({**Person.first_names_female, **Person.first_names_male}),
        "last": _weighted(dict(Person.last_names)),
        "street_suffix": _weighted(dict.fromkeys(Address.street_suffixes, 1.0)),
    }


def _pick(vocabulary: tuple[np.ndarray, np.ndarray], seed: int, ids: np.ndarray, field: int) -> np.ndarray:
    """A word per customer from (words, cumulative weights): a stable draw of (seed, id, field)."""
    words, cdf = vocabulary
    return words[np.minimum(np.searchsorted(cdf, uniform(seed, ids, field), side="right"), len(words) - 1)]


def phone_numbers(seed: int, ids: np.ndarray, states: np.ndarray, cities: np.ndarray) -> np.ndarray:
    """Valid NANP numbers, "(NPA) NXX-XXXX": an exchange (area code and NXX) libphonenumber
    places in the customer's city (else state), and a line number (no 555-01XX fictional range)."""
    npa, nxx = geography.draw_exchanges(states, cities, uniform(seed, ids, FIELDS["area_code"]))
    line = (uniform(seed, ids, FIELDS["line_number"]) * 10_000).astype(np.int64)
    line = np.where((nxx == 555) & (line >= 100) & (line < 200), line + 100, line)
    return join_strings(
        "(", npa.astype(TEXT), ") ", nxx.astype(TEXT), "-", np.strings.zfill(line.astype(TEXT), 4)
    )


def email_addresses(seed: int, ids: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Plausible, unique addresses: the name in one of the usual styles, a number and a common
    domain. The number is a bijection of the customer id (a multiplicative permutation), not
    the id: the name part has no digits, so two customers never share an address."""
    compact = np.where(
        ids >= parameters.INITIAL_ID_BASE, ids - parameters.INITIAL_ID_BASE + _SIGNUP_IDS_BELOW, ids
    )
    number = (compact * _EMAIL_MULTIPLIER + seed) % _EMAIL_NUMBERS
    first, last = _clean(first), _clean(last)
    initial = np.strings.slice(first, 0, 1)
    style = (uniform(seed, ids, FIELDS["email_style"]) * 4).astype(np.int64)
    local = np.select(
        [style == 0, style == 1, style == 2],
        [join_strings(first, ".", last), join_strings(first, last), join_strings(initial, last)],
        join_strings(first, "_", last),
    ).astype(TEXT)
    domains, cdf = _EMAIL_DOMAINS
    domain = domains[
        np.searchsorted(cdf, uniform(seed, ids, FIELDS["email_domain"]), side="right").clip(
            0, len(domains) - 1
        )
    ]
    return join_strings(local, number.astype(TEXT), "@", domain)


def _clean(words: np.ndarray) -> np.ndarray:
    """Lower case, no spaces, apostrophes or hyphens (e-mail local parts)."""
    out = np.strings.lower(words.astype(TEXT))
    for mark in (" ", "'", "-"):
        out = np.strings.replace(out, mark, "")
    return out


#: Sign-up ids are (day + 1) * 10,000 + k: below this for 27 years of days; initial customers
#: (INITIAL_ID_BASE + j) are numbered from here, so every customer has its own compact number.
_SIGNUP_IDS_BELOW = 100_000_000
_EMAIL_NUMBERS = 1 << 28  # compact numbers stay below this; an odd multiplier permutes them
_EMAIL_MULTIPLIER = 2_654_435_761
_EMAIL_DOMAINS = (
    np.array(list(parameters.EMAIL_DOMAIN_SHARE), dtype=TEXT),
    np.cumsum(list(parameters.EMAIL_DOMAIN_SHARE.values())) / sum(parameters.EMAIL_DOMAIN_SHARE.values()),
)


def contact_columns(
    seed: int, ids: np.ndarray, states: np.ndarray, zones: np.ndarray
) -> dict[str, np.ndarray]:
    """Name, email, phone, address, city and state per customer (numpy strings): a pure
    function of (seed, id, state, zone). The city is drawn by population among the cities of
    the customer's state and time zone, the phone from that city's exchanges."""
    vocab = faker_vocabulary()

    def pick(name: str, field: str) -> np.ndarray:
        return _pick(vocab[name], seed, ids, FIELDS[field]).astype(TEXT)

    first, last = pick("first", "first_name"), pick("last", "last_name")
    street, suffix = pick("last", "street"), pick("street_suffix", "street_suffix")
    city = geography.draw_cities(states, zones, uniform(seed, ids, FIELDS["city"]))
    number = (100 + (uniform(seed, ids, FIELDS["house_number"]) * 99_900).astype(np.int64)).astype(TEXT)
    return {
        "name": join_strings(first, " ", last),
        "email": email_addresses(seed, ids, first, last),
        "phone": phone_numbers(seed, ids, states, city),
        "address": join_strings(number, " ", street, " ", suffix),
        "city": geography.places().city_name[city].astype(TEXT),
        "state": np.array(geography.STATES, dtype=TEXT)[states],
    }
