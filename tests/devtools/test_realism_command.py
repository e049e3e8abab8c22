"""`cca realism`: the measured-versus-published table README.md's "How realistic is it" shows."""

from __future__ import annotations

import datetime as dt

from devtools.commands.realism import PUBLISHED, measure, table
from devtools.database import connect
from include.analytics import refresh_day
from include.generator.settings import BatchSettings
from include.storage.days import load_day

#: Two weeks, Thanksgiving in the second.
DAYS = [dt.date(2026, 11, 16) + dt.timedelta(days=i) for i in range(14)]


def test_realism_measures_every_published_figure(schema_url, capsys):
    with connect(schema_url) as conn:
        for day in DAYS:
            load_day(conn, day, BatchSettings(interactions_per_day=1_500))
            refresh_day(conn, day)
        figures = measure(conn)
    assert set(figures) == set(PUBLISHED)
    assert 9 <= figures["weekday peak hour, customer-local"] <= 11
    assert figures["invalid NANP phone numbers"] == 0
    assert figures["plan changes across consumer/Business"] == 0
    assert figures["Thanksgiving, Christmas / same weekday"] < 0.6
    assert 0 < figures["phone abandonment"] < 0.2  # modelled now (the workforce): a figure
    assert figures["voice/store contacts overlapping the agent's previous one"] == 0
    assert figures["live contacts answered off shift or on a break"] == 0
    # Issue #24: schedules a workforce team would publish, interval truth
    assert figures["shortest shift, h"] >= 4
    assert figures["shortest rest between an agent's shifts, h"] >= 11
    assert figures["highest interval occupancy (busy / staffed)"] <= 1
    assert figures["most time zones among one store agent's customers"] == 1
    assert figures["holiday eve 16:00-24:00 local / a week before (lowest of Eastern, Pacific)"] > 0.75
    assert figures["holiday 09:00-17:00 local / a week before (highest of Eastern, Pacific)"] < 0.6
    assert figures["store visits from outside the store's time zone"] == 0
    assert figures["service-group intervals with contacts offered, nobody on shift and none answered"] == 0
    # (at 1,500 a day twelve queues staffed round the clock idle at night: low, not impossible)
    assert 0.1 < figures["agent occupancy, median agent-shift"] < 0.95
    # Issue #14: the base is sized to the volume, so the contact rate is in the published range.
    low, high = PUBLISHED["contacts per active customer per month"][:2]
    assert low <= figures["contacts per active customer per month"] <= high
    assert figures["most contacts of one customer in a calendar month"] <= 15
    assert figures["repeats with no unresolved contact of the customer in the 7 days before"] == 0
    assert 0.2 < figures["repeats on a later day than the contact they repeat"] < 0.9
    text = table(figures, (DAYS[0], DAYS[-1]), 1_500)
    print(text)
    assert text.count("\n| ") == len(PUBLISHED) + 2  # the header, its rule, one line per figure
    assert "| invalid NANP phone numbers | 0 | 0 | yes |" in text
