"""What the report shows, already rolled up by the read layer: rendering does no arithmetic
on raw rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Kpis:
    """Window-level headline numbers; None where there is nothing to divide by."""

    total_interactions: int = 0
    avg_satisfaction: float | None = None
    csat_pct: float | None = None
    survey_response_rate: float | None = None
    first_contact_resolution_rate: float | None = None
    escalation_rate: float | None = None
    avg_handle_seconds: float | None = None


@dataclass(frozen=True)
class ChannelDay:
    summary_date: dt.date
    channel_name: str
    interactions: int


@dataclass(frozen=True)
class QualityDay:
    summary_date: dt.date
    interactions: int
    survey_responses: int
    csat_pct: float | None
    avg_satisfaction: float | None


@dataclass(frozen=True)
class TypeAht:
    interaction_name: str
    interactions: int
    avg_handle_seconds: float


@dataclass(frozen=True)
class AgentRow:
    agent_name: str
    team: str
    interactions: int
    csat_pct: float | None
    avg_satisfaction: float | None
    avg_handle_seconds: float | None


@dataclass(frozen=True)
class ServiceDay:
    """Phone service that day: share answered within target, share abandoned, agent hours on shift."""

    summary_date: dt.date
    offered: int
    service_level_pct: float | None
    abandoned_pct: float | None
    agent_hours: float


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, already rolled up: rendering does no arithmetic on raw rows."""

    as_of: dt.date
    days: int
    kpis: Kpis = field(default_factory=Kpis)
    volume: list[ChannelDay] = field(default_factory=list)
    quality: list[QualityDay] = field(default_factory=list)
    aht_by_type: list[TypeAht] = field(default_factory=list)
    agents: list[AgentRow] = field(default_factory=list)
    voice_service: list[ServiceDay] = field(default_factory=list)

    @property
    def start(self) -> dt.date:
        """First day of the window (the window ends at `as_of`, inclusive)."""
        return self.as_of - dt.timedelta(days=self.days - 1)

    @property
    def dates(self) -> list[dt.date]:
        """Every day of the window, so missing days show as gaps instead of vanishing."""
        return [self.start + dt.timedelta(days=i) for i in range(self.days)]
