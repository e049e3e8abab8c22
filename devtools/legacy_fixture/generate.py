"""A deterministic database in the earlier 20-table model, dirty rows included.

`build_legacy(conn, n_interactions, seed)` creates the tables of `schema.sql` in a schema
and fills them with COPY. Same arguments, same rows (UUIDs included). About 1 in 100 rows
of each migrated table is dirty on purpose (orphans, NULL or reversed timestamps, unknown
codes, duplicate msisdns, feedback for missing interactions, ...), so the migration's
rejection report has something to count. `DIRTY` names what is injected.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
from psycopg import sql

SCHEMA_FILE = Path(__file__).with_name("schema.sql")
TABLES = (
    "customers",
    "channels",
    "interaction_types",
    "agents",
    "service_plans",
    "customer_service_plans",
    "customer_journey_sessions",
    "customer_interactions",
    "interaction_steps",
    "customer_feedback",
    "interaction_outcomes",
    "journey_touchpoints",
    "daily_channel_metrics",
    "daily_agent_metrics",
    "customer_experience_scores",
    "channel_capacity",
    "knowledge_base",
    "survey_templates",
    "system_alerts",
    "performance_thresholds",
)
DEFAULT_START = dt.date(2024, 3, 4)
DEFAULT_DAYS = 28

#: The dirty rows the generator injects (share of the table's rows).
DIRTY = {
    "customers": "0.5% duplicate msisdn, 0.3% unknown account_status, 0.2% no registration date",
    "customer_interactions": "0.2% NULL start, 0.3% end before start, 0.3% no end, 0.2% orphan customer, "
    "0.1% unknown channel, 0.2% unknown status, 0.1% unknown mode",
    "interaction_steps": "0.2% orphan interaction",
    "customer_feedback": "1% for missing interactions",
}

CHANNELS = [  # name, type (Fax Line: a type the new model does not know)
    ("Mobile App", "mobile_app"),
    ("Web Portal", "web_app"),
    ("IVR System", "interactive_menu"),
    ("WhatsApp Bot", "chatbot"),
    ("Facebook Messenger", "social_media"),
    ("SMS Service", "sms"),
    ("Email Support", "email"),
    ("Video Support", "video_call"),
    ("Fax Line", "fax"),
]
TYPES = [  # code, name, category, impact
    ("BALANCE_QUERY", "Balance Query", "billing", "low"),
    ("INVOICE_DOWNLOAD", "Invoice Download", "billing", "low"),
    ("PAYMENT_PROCESS", "Payment Processing", "billing", "high"),
    ("TOP_UP", "Top Up", "billing", "medium"),
    ("HISTORY_QUERY", "History Query", "account", "low"),
    ("ADDON_PURCHASE", "Add-on Purchase", "sales", "medium"),
    ("PLAN_CHANGE", "Plan Change", "account", "medium"),
    ("TECHNICAL_SUPPORT", "Technical Support", "technical", "high"),
    ("SIM_REPLACEMENT", "SIM Replacement", "technical", "medium"),
    ("ROAMING_INFO", "Roaming Information", "technical", "low"),
    ("DATA_USAGE", "Data Usage", "account", "low"),
    ("COMPLAINT_FILING", "Complaint Filing", "support", "critical"),
    ("NUMBER_PORTING", "Number Porting", "account", "high"),
    ("LOYALTY_GAME", "Loyalty Game", "marketing", "low"),  # unknown category
]
PLANS = [  # code, name, type, category, fee
    ("BASIC_MOBILE", "Basic Mobile", "combo", "prepaid", 15.00),  # same code as the new catalog
    ("PM-2019", "Premium Mobile", "combo", "postpaid", 45.00),  # same name as the new catalog
    ("PRE_10", "Prepaid 10", "voice", "prepaid", 10.00),
    ("POST_25", "Postpaid 25", "combo", "postpaid", 25.00),
    ("HYB_40", "Hybrid 40", "combo", "hybrid", 40.00),
    ("DATA_5GB", "Data 5GB", "data", "postpaid", 30.00),
    ("UNL_70", "Unlimited 70", "combo", "postpaid", 70.00),
    ("ROAM_ADDON", "Roaming Add-on", "addon", "postpaid", 9.00),  # add-on: not a base plan
    ("OLD_NOFEE", "Legacy Free", "combo", "prepaid", None),  # no fee
]
STATUSES = np.array(["completed", "failed", "abandoned", "escalated", "in_progress"])
MODES = np.array(["bot", "live_chat", "self_service", "ivr"])


def _uuids(rng: np.random.Generator, n: int) -> np.ndarray:
    raw = rng.bytes(16 * n)
    return np.array([raw[i : i + 16].hex() for i in range(0, 16 * n, 16)], dtype=object)


def _ts(seconds: np.ndarray) -> pd.Series:
    """Epoch seconds (float, NaN = NULL) as timestamps."""
    return pd.to_datetime(pd.Series(seconds), unit="s")


def _copy(conn: psycopg.Connection, schema: str, table: str, frame: pd.DataFrame) -> None:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, header=False, na_rep="\\N", date_format="%Y-%m-%d %H:%M:%S")
    cols = sql.SQL(", ").join(sql.Identifier(c) for c in frame.columns)
    stmt = sql.SQL("COPY {}.{} ({}) FROM STDIN WITH (FORMAT csv, NULL '\\N')").format(
        sql.Identifier(schema), sql.Identifier(table), cols
    )
    with conn.cursor().copy(stmt) as copy:
        copy.write(buf.getvalue())


def create_tables(conn: psycopg.Connection, schema: str) -> None:
    conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    for table in TABLES:
        conn.execute(
            sql.SQL("DROP TABLE IF EXISTS {}.{}").format(sql.Identifier(schema), sql.Identifier(table))
        )
    conn.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(schema)))
    conn.execute(SCHEMA_FILE.read_text())
    conn.execute("SET LOCAL search_path TO DEFAULT")


def build_legacy(
    conn: psycopg.Connection,
    n_interactions: int = 50_000,
    seed: int = 7,
    schema: str = "public",
    start: dt.date = DEFAULT_START,
    days: int = DEFAULT_DAYS,
) -> dict[str, int]:
    """Create and fill the legacy tables in `schema` (replacing them); returns rows per table."""
    rng = np.random.default_rng(seed)
    frames = generate(rng, n_interactions, start, days)
    with conn.transaction():
        create_tables(conn, schema)
        for table, frame in frames.items():
            _copy(conn, schema, table, frame)
    return {table: len(frame) for table, frame in frames.items()}


def generate(rng: np.random.Generator, n: int, start: dt.date, days: int) -> dict[str, pd.DataFrame]:
    t0 = dt.datetime.combine(start, dt.time(0)).timestamp() - dt.datetime(1970, 1, 1).timestamp()
    created = pd.Timestamp("2019-06-01 09:00:00")
    out: dict[str, pd.DataFrame] = {}

    # ------------------------------------------------------------ reference tables
    ch_id = _uuids(rng, len(CHANNELS))
    out["channels"] = pd.DataFrame(
        {
            "channel_id": ch_id,
            "channel_name": [c[0] for c in CHANNELS],
            "channel_type": [c[1] for c in CHANNELS],
            "is_active": True,
            "created_at": created,
        }
    )
    it_id = _uuids(rng, len(TYPES))
    out["interaction_types"] = pd.DataFrame(
        {
            "interaction_type_id": it_id,
            "interaction_code": [t[0] for t in TYPES],
            "interaction_name": [t[1] for t in TYPES],
            "interaction_category": [t[2] for t in TYPES],
            "business_impact": [t[3] for t in TYPES],
            "created_at": created,
        }
    )
    pl_id = _uuids(rng, len(PLANS))
    out["service_plans"] = pd.DataFrame(
        {
            "plan_id": pl_id,
            "plan_code": [p[0] for p in PLANS],
            "plan_name": [p[1] for p in PLANS],
            "plan_type": [p[2] for p in PLANS],
            "plan_category": [p[3] for p in PLANS],
            "monthly_fee": [p[4] for p in PLANS],
            "data_allowance_gb": rng.choice([1.0, 5.0, 10.0, 50.0], len(PLANS)),
            "voice_minutes": rng.choice([100, 300, 1000], len(PLANS)),
            "sms_allowance": rng.choice([50, 100, 500], len(PLANS)),
            "validity_days": 30,
            "created_at": created,
        }
    )
    # Agents: 30 humans (the first 10 are the new catalog's EMP1001..EMP1010), 2 hybrid,
    # 1 supervisor, 5 bots, 1 of an unknown type.
    kinds = ["human"] * 30 + ["hybrid"] * 2 + ["supervisor"] + ["bot"] * 5 + ["robot"]
    n_agents = len(kinds)
    ag_id = _uuids(rng, n_agents)
    codes = [f"EMP{1001 + i}" if i < 10 else f"AGT{i:03d}" for i in range(n_agents)]
    names = [f"Bot {i}" if k == "bot" else f"Legacy Agent {i}" for i, k in enumerate(kinds)]
    out["agents"] = pd.DataFrame(
        {
            "agent_id": ag_id,
            "agent_code": codes,
            "agent_name": names,
            "agent_type": kinds,
            "specialization": rng.choice(["billing", "technical", "sales", "general"], n_agents),
            "skill_level": rng.choice(["trainee", "junior", "senior", "expert", "specialist"], n_agents),
            "is_active": True,
            "created_at": [created - pd.Timedelta(days=int(d)) for d in rng.integers(0, 2000, n_agents)],
        }
    )
    human = np.flatnonzero(np.isin(kinds, ["human", "hybrid", "supervisor"]))
    bots = np.flatnonzero(np.array(kinds) == "bot")
    robot = n_agents - 1

    # ------------------------------------------------------------ customers
    nc = max(200, n // 8)
    cu_id = _uuids(rng, nc)
    msisdn = np.array([f"+5255{x:08d}" for x in rng.choice(10**8, nc, replace=False)], dtype=object)
    dup = rng.random(nc) < 0.005
    msisdn[dup] = msisdn[rng.integers(0, nc, dup.sum())]
    status = rng.choice(["active", "suspended", "terminated", "churned"], nc, p=[0.85, 0.05, 0.05, 0.05])
    status = status.astype(object)
    status[rng.random(nc) < 0.003] = "closed"
    reg = pd.Series(pd.to_datetime(start) - pd.to_timedelta(rng.integers(30, 3000, nc), unit="D"))
    reg_missing = rng.random(nc) < 0.002
    reg_date = reg.dt.date.astype(object)
    reg_date[reg_missing] = None
    cust_created = reg.copy()
    cust_created[reg_missing] = pd.NaT
    out["customers"] = pd.DataFrame(
        {
            "customer_id": cu_id,
            "msisdn": msisdn,
            "customer_type": rng.choice(["prepaid", "postpaid", "hybrid"], nc),
            "customer_name": [f"Cliente {i:06d}" for i in range(nc)],
            "region": rng.choice(["R9", "DEUR"], nc),
            "account_status": status,
            "registration_date": reg_date,
            "last_activity_date": (pd.to_datetime(start) + pd.Timedelta(days=days)).date(),
            "preferred_language": rng.choice(["es", "en", "fr"], nc, p=[0.8, 0.15, 0.05]),
            "customer_segment": rng.choice(["VIP", "Premium", "Standard", "Basic", None], nc),
            "created_at": cust_created,
        }
    )

    # ------------------------------------------------------------ plan history
    base_plans = [i for i, p in enumerate(PLANS) if p[2] != "addon" and p[4] is not None]
    n_hist = rng.choice([0, 1, 2, 3], nc, p=[0.005, 0.6, 0.3, 0.095])
    owner = np.repeat(np.arange(nc), n_hist)
    seq = np.arange(len(owner)) - np.repeat(np.cumsum(n_hist) - n_hist, n_hist)
    last = seq == np.repeat(n_hist, n_hist) - 1
    plan = rng.choice(base_plans, len(owner))
    odd = rng.random(len(owner))
    plan[odd < 0.01] = 7  # the add-on
    plan[(odd >= 0.01) & (odd < 0.015)] = 8  # the plan with no fee
    act = reg.to_numpy()[owner] + pd.to_timedelta(seq * 200 + rng.integers(0, 30, len(owner)), unit="D")
    act = pd.Series(act)
    expiry = act + pd.to_timedelta(200, unit="D")
    expiry_date = expiry.dt.date.astype(object)
    expiry_date[last] = None
    reversed_ = rng.random(len(owner)) < 0.005
    expiry_date[reversed_] = (act[reversed_] - pd.Timedelta(days=5)).dt.date
    out["customer_service_plans"] = pd.DataFrame(
        {
            "customer_id": cu_id[owner],
            "plan_id": pl_id[plan],
            "activation_date": act.dt.date,
            "expiration_date": expiry_date,
            "is_active": last,
            "monthly_charge": [PLANS[p][4] for p in plan],
            "created_at": act,
        }
    ).drop_duplicates(subset=["customer_id", "plan_id", "activation_date"])

    # ------------------------------------------------------------ journeys and interactions
    nj = max(1, n // 3)
    jo_id = _uuids(rng, nj)
    jo_cust = rng.integers(0, nc, nj)
    jo_start = t0 + rng.integers(0, days * 86400 - 7200, nj).astype(float)
    in_journey = rng.random(n) < 0.6
    journey = np.where(in_journey, rng.integers(0, nj, n), -1)
    cust = np.where(in_journey, jo_cust[np.maximum(journey, 0)], rng.integers(0, nc, n))
    hour_weight = np.array(
        [1, 1, 1, 1, 1, 2, 4, 7, 10, 12, 12, 11, 10, 11, 12, 12, 11, 10, 8, 6, 4, 3, 2, 1.0]
    )
    day_of = rng.integers(0, days, n)
    hour = rng.choice(24, n, p=hour_weight / hour_weight.sum())
    free_start = t0 + day_of * 86400.0 + hour * 3600 + rng.integers(0, 3600, n)
    start_s = np.where(in_journey, jo_start[np.maximum(journey, 0)] + rng.integers(0, 3600, n), free_start)
    mode_i = rng.choice(4, n, p=[0.3, 0.35, 0.2, 0.15])
    status_i = rng.choice(5, n, p=[0.7, 0.08, 0.08, 0.1, 0.04])
    escalated = (status_i == 3) | ((mode_i != 1) & (rng.random(n) < 0.08))
    total = np.rint(rng.lognormal(5.5, 0.7, n)).astype(np.int64) + 5
    end_s = start_s + total
    bot_dur = np.where(mode_i == 0, total // np.where(escalated, 2, 1), 0)
    human_dur = np.where((mode_i == 1) | escalated, total - bot_dur, 0)
    agent = np.full(n, -1)
    needs_human = (mode_i == 1) | escalated
    agent[needs_human] = rng.choice(human, needs_human.sum())
    is_bot = (mode_i == 0) & ~escalated
    agent[is_bot] = rng.choice(bots, is_bot.sum())
    csat = np.where(rng.random(n) < 0.35, rng.choice([1, 2, 3, 4, 5], n, p=[0.08, 0.1, 0.2, 0.32, 0.3]), -1)
    csat[rng.random(n) < 0.002] = 9  # out of range
    channel = rng.choice(8, n, p=[0.3, 0.15, 0.2, 0.15, 0.05, 0.05, 0.07, 0.03])
    itype = rng.choice(len(TYPES) - 1, n)
    itype[rng.random(n) < 0.002] = len(TYPES) - 1  # the type of an unknown category
    agent[rng.random(n) < 0.001] = robot

    status_txt = STATUSES[status_i].astype(object)
    mode_txt = MODES[mode_i].astype(object)
    r = rng.random(n)
    start_f = start_s.astype(float)
    end_f = end_s.astype(float)
    start_f[r < 0.002] = np.nan
    bad_order = (r >= 0.002) & (r < 0.005)
    end_f[bad_order] = start_f[bad_order] - 60
    no_end = (r >= 0.005) & (r < 0.008)
    end_f[no_end] = np.nan
    status_txt[no_end] = "in_progress"
    in_id = _uuids(rng, n)
    cust_txt = cu_id[cust].copy()
    orphan = (r >= 0.008) & (r < 0.010)
    cust_txt[orphan] = _uuids(rng, int(orphan.sum()))
    ch_txt = ch_id[channel].copy()
    unknown_ch = (r >= 0.010) & (r < 0.011)
    ch_txt[unknown_ch] = _uuids(rng, int(unknown_ch.sum()))
    status_txt[(r >= 0.011) & (r < 0.013)] = "timeout"
    mode_txt[(r >= 0.013) & (r < 0.014)] = "hologram"
    session = np.where(journey >= 0, jo_id[np.maximum(journey, 0)], None).astype(object)
    session[(r >= 0.014) & (r < 0.016)] = "not-a-journey"
    duration = np.where(no_end, np.nan, end_f - start_f)
    duration[np.isnan(start_f)] = np.nan
    attempts = rng.choice([1, 2, 3], n, p=[0.85, 0.12, 0.03])
    fcr = np.where(status_i == 0, attempts == 1, False).astype(object)
    fcr[rng.random(n) < 0.1] = None
    out["customer_interactions"] = pd.DataFrame(
        {
            "interaction_id": in_id,
            "customer_id": cust_txt,
            "channel_id": ch_txt,
            "interaction_type_id": it_id[itype],
            "agent_id": np.where(agent >= 0, ag_id[np.maximum(agent, 0)], None),
            "session_id": session,
            "start_timestamp": _ts(start_f),
            "end_timestamp": _ts(end_f),
            "duration_seconds": pd.array(np.where(np.isnan(duration), np.nan, duration), dtype="Int64"),
            "interaction_status": status_txt,
            "interaction_mode": mode_txt,
            "device_type": rng.choice(["android", "ios", "desktop", "feature_phone"], n),
            "bot_duration_seconds": bot_dur,
            "human_duration_seconds": human_dur,
            "escalated_to_human": escalated,
            "escalation_reason": np.where(escalated, "customer asked for a human", None),
            "customer_satisfaction_score": pd.array(np.where(csat > 0, csat, np.nan), dtype="Int64"),
            "resolution_on_first_contact": fcr,
            "number_of_attempts": attempts,
            "created_at": _ts(np.where(np.isnan(start_f), t0, start_f)),
        }
    )
    used = np.zeros(nj, dtype=bool)
    used[journey[journey >= 0]] = True
    out["customer_journey_sessions"] = pd.DataFrame(
        {
            "session_id": jo_id,
            "customer_id": cu_id[jo_cust],
            "session_start": _ts(jo_start),
            "session_end": _ts(jo_start + 3600),
            "primary_channel_id": ch_id[rng.integers(0, 8, nj)],
            "journey_outcome": rng.choice(["completed", "abandoned", "escalated"], nj),
            "goal_achieved": rng.random(nj) < 0.7,
            "cross_channel_journey": rng.random(nj) < 0.3,
        }
    )

    # ------------------------------------------------------------ steps: 1-5 per interaction
    n_steps = rng.integers(1, 6, n)
    owner = np.repeat(np.arange(n), n_steps)
    seq = np.arange(len(owner)) - np.repeat(np.cumsum(n_steps) - n_steps, n_steps)
    step_type = np.where(
        seq == 0,
        np.where(mode_i[owner] == 3, "ivr_menu", "authentication"),
        rng.choice(["queue", "menu_selection", "data_input", "processing", "result"], len(owner)),
    ).astype(object)
    step_dur = rng.integers(2, 90, len(owner))
    step_start = start_s[owner] + seq * 30
    step_status = np.where(rng.random(len(owner)) < 0.05, "failed", "completed").astype(object)
    step_interaction = in_id[owner].copy()
    orphan_steps = rng.random(len(owner)) < 0.002
    step_interaction[orphan_steps] = _uuids(rng, int(orphan_steps.sum()))
    out["interaction_steps"] = pd.DataFrame(
        {
            "step_id": _uuids(rng, len(owner)),
            "interaction_id": step_interaction,
            "step_sequence": seq + 1,
            "step_type": step_type,
            "step_name": step_type,
            "step_status": step_status,
            "start_timestamp": _ts(step_start.astype(float)),
            "end_timestamp": _ts((step_start + step_dur).astype(float)),
            "duration_seconds": step_dur,
        }
    )

    # ------------------------------------------------------------ feedback
    fb_pick = np.flatnonzero(rng.random(n) < 0.25)
    nf = len(fb_pick)
    fb_type = rng.choice(["csat", "nps", "complaint"], nf, p=[0.8, 0.15, 0.05]).astype(object)
    fb_score = np.where(fb_type == "csat", rng.integers(1, 6, nf), np.nan)
    fb_inter = in_id[fb_pick].copy()
    missing = rng.random(nf) < 0.01
    fb_inter[missing] = _uuids(rng, int(missing.sum()))
    n_journey_fb = max(1, nf // 50)
    out["customer_feedback"] = pd.DataFrame(
        {
            "feedback_id": _uuids(rng, nf + n_journey_fb),
            "customer_id": np.concatenate([cu_id[cust[fb_pick]], cu_id[jo_cust[:n_journey_fb]]]),
            "interaction_id": np.concatenate([fb_inter, np.full(n_journey_fb, None)]),
            "session_id": np.concatenate([np.full(nf, None), jo_id[:n_journey_fb]]),
            "feedback_type": np.concatenate([fb_type, np.full(n_journey_fb, "csat")]),
            "feedback_timestamp": _ts(
                np.concatenate([start_s[fb_pick] + 86400.0, jo_start[:n_journey_fb] + 86400])
            ),
            "satisfaction_score": pd.array(
                np.concatenate([fb_score, rng.integers(1, 6, n_journey_fb)]), dtype="Int64"
            ),
            "nps_score": pd.array(
                np.concatenate(
                    [
                        np.where(fb_type == "nps", rng.integers(0, 11, nf), np.nan),
                        np.full(n_journey_fb, np.nan),
                    ]
                ),
                dtype="Int64",
            ),
        }
    )

    # ------------------------------------------------------------ optional and derived
    k = min(n, 500)
    out["interaction_outcomes"] = pd.DataFrame(
        {
            "outcome_id": _uuids(rng, k),
            "interaction_id": in_id[:k],
            "outcome_type": "sale",
            "outcome_value": 10.0,
        }
    )
    out["journey_touchpoints"] = pd.DataFrame(
        {
            "touchpoint_id": _uuids(rng, k),
            "session_id": jo_id[np.arange(k) % nj],
            "touchpoint_sequence": 1,
            "touchpoint_type": "app_open",
        }
    )
    out["daily_channel_metrics"] = pd.DataFrame(
        [(start + dt.timedelta(days=d), c, 100, 4.0) for d in range(days) for c in ch_id],
        columns=["metric_date", "channel_id", "total_interactions", "avg_satisfaction"],
    )
    out["survey_templates"] = pd.DataFrame({"template_id": _uuids(rng, 3), "name": ["csat", "nps", "ces"]})
    return out


def checksums(conn: psycopg.Connection, schema: str = "public") -> dict[str, str]:
    """md5 of every table of a schema, rows in a stable order: to prove a source unchanged."""
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s ORDER BY 1", (schema,)
        )
    ]
    result = {}
    for table in tables:
        query = sql.SQL(
            "SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {}.{} t"
        )
        result[table] = conn.execute(query.format(sql.Identifier(schema), sql.Identifier(table))).fetchone()[
            0
        ]
    return result
