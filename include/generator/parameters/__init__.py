"""Every distribution the generator draws from, with its parameters, in one place.

Analysts tune the synthetic data here. Codes refer to the reference rows in
include/sql/01_baseline_data.sql (channel_code, interaction_code, plan_code).
A batch ("day") is a UTC calendar day; customers live in US time zones
(include/generator/geography.py), so arrivals follow each customer's local clock.
Figures marked "assumption" have no published source: they set a plausible shape only.

The figures live in one module per subject (below); the generator reads every one as
`parameters.NAME`, so this package gathers them (and a test patches one in one place).
"""

from include.generator.parameters.calendar_events import *  # noqa: F403
from include.generator.parameters.channels_and_types import *  # noqa: F403
from include.generator.parameters.customers_and_outcomes import *  # noqa: F403
from include.generator.parameters.volumes import *  # noqa: F403
from include.generator.parameters.workforce import *  # noqa: F403
