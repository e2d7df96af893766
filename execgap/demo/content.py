"""What the demo organization is made of: a fictional warehouse-robotics company, Northwind Robotics.

Pure data. Dates are offsets in days from the day the demo is seeded (negative: in the past), so
the demo looks current whenever it is created. `build.py` turns this into rows through the services.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TeamSpec:
    key: str
    name: str
    parent: str | None
    size: int  # people in the team, its lead included
    task_prefix: str  # issue keys in the team's tracker, e.g. PLAT-104


@dataclass(frozen=True)
class NamedPerson:
    name: str
    team: str
    capacity: int  # hours per week
    login: str = ""  # username of the demo login linked to this person
    leads: bool = False  # leads their team
    active: bool = True


@dataclass(frozen=True)
class ObjectiveSpec:
    key: str
    title: str
    parent: str | None
    team: str
    owner: str | None  # a NamedPerson's name
    status: str
    weight: int
    start: int
    end: int


@dataclass(frozen=True)
class KeyResultSpec:
    objective: str
    title: str
    unit: str
    start: float
    target: float
    current: float


@dataclass(frozen=True)
class InitiativeSpec:
    key: str
    title: str
    objective: str | None
    team: str
    status: str
    estimate: int | None  # hours
    start: int
    end: int | None  # None: open-ended
    staffed: bool = True  # False: nobody is allocated to it (an unstaffed initiative)
    owned: bool = True


@dataclass(frozen=True)
class FeedbackSpec:
    kind: str
    about: str | None  # an objective or initiative key
    author: str
    text: str
    days_ago: int
    answer: str = ""  # "", "acknowledged" or "resolved"
    answer_after_days: int = 0  # for answers in the past; 0 with an answer: answered now
    response: str = ""


ORGANIZATION_SLUG = "demo"
ORGANIZATION_NAME = "Northwind Robotics"
TRACKER_URL = "https://tracker.northwind-robotics.example/browse/"
EMAIL_DOMAIN = "northwind-robotics.example"

TEAMS = (
    TeamSpec("eng", "Engineering", None, 6, "ENG"),
    TeamSpec("platform", "Platform", "eng", 14, "PLAT"),
    TeamSpec("mobile", "Mobile", "eng", 12, "MOB"),
    TeamSpec("sales", "Sales", None, 10, "SAL"),
    TeamSpec("ops", "Operations", None, 10, "OPS"),
    TeamSpec("design", "Design", None, 8, "DES"),
)

# People with a part to play; the rest of each team gets generated names (`vocabulary.py`).
NAMED_PEOPLE = (
    NamedPerson("Morgan Reyes", "ops", 40, login="admin"),
    NamedPerson("Dana Whitfield", "eng", 40, login="exec", leads=True),
    NamedPerson("Priya Natarajan", "platform", 40, login="lead", leads=True),
    NamedPerson("Sam Okafor", "platform", 40, login="member"),
    NamedPerson("Jordan Blake", "sales", 32, login="viewer"),
    NamedPerson("Kenji Watanabe", "mobile", 40, leads=True),
    NamedPerson("Elena Marsh", "sales", 40, leads=True),
    NamedPerson("Tomás Herrera", "ops", 36, leads=True),
    NamedPerson("Aisha Bello", "design", 40, leads=True),
    NamedPerson("Lars Eriksen", "sales", 40, active=False),  # left when the Nordic plan was cancelled
    NamedPerson("Nadia Petrova", "mobile", 32, active=False),  # on parental leave
)

# Four boardroom (root) objectives, weights 4, 3, 2, 1, and the team objectives below them.
OBJECTIVES = (
    ObjectiveSpec("reliable", "Run the most reliable warehouse robot fleet in the industry", None, "eng",
                  "Dana Whitfield", "active", 4, -75, 200),
    ObjectiveSpec("revenue", "Grow recurring revenue to $40M ARR", None, "sales", "Elena Marsh", "active", 3,
                  -75, 200),
    ObjectiveSpec("cost", "Cut the cost to serve each robot by 25%", None, "ops", "Tomás Herrera", "active",
                  2, -75, 200),
    ObjectiveSpec("experience", "Make the Northwind console a product customers recommend", None, "design",
                  "Aisha Bello", "active", 1, -75, 200),
    ObjectiveSpec("uptime", "Reach 99.95% fleet uptime", "reliable", "platform", "Priya Natarajan", "active",
                  2, -60, 90),
    ObjectiveSpec("ota", "Ship zero-touch over-the-air updates to every robot", "reliable", "platform",
                  "Sam Okafor", "active", 1, -60, 75),
    ObjectiveSpec("mttr", "Halve the time to recover from fleet incidents", "reliable", "eng",
                  "Dana Whitfield", "achieved", 1, -120, -10),
    ObjectiveSpec("logos", "Win 15 new enterprise customers", "revenue", "sales", "Elena Marsh", "active", 3,
                  -60, 120),
    ObjectiveSpec("resellers", "Launch a partner reseller program", "revenue", "sales", "Jordan Blake",
                  "draft", 1, 30, 180),
    ObjectiveSpec("nordics", "Open the Nordic market", "revenue", "sales", "Lars Eriksen", "cancelled", 1,
                  -90, 90),
    ObjectiveSpec("triage", "Automate first-line support triage", "cost", "ops", "Tomás Herrera", "active", 2,
                  -50, 80),
    ObjectiveSpec("supply", "Renegotiate component supply contracts", "cost", "ops", None, "active", 1, -40,
                  110),
    ObjectiveSpec("maintenance", "Pilot predictive maintenance with three customers", "cost", "ops",
                  "Morgan Reyes", "achieved", 1, -150, -14),
    ObjectiveSpec("onboarding", "Take a new site from contract to first robot live in one day", "experience",
                  "design", "Aisha Bello", "active", 2, -45, 100),
    ObjectiveSpec("supervisor_app", "Give floor supervisors a mobile app", "experience", "mobile",
                  "Kenji Watanabe", "active", 1, -55, 95),
    ObjectiveSpec("offline", "Let the supervisor app work offline", "supervisor_app", "mobile", None, "draft",
                  1, 20, 140),
)  # fmt: skip

KEY_RESULTS = (
    KeyResultSpec("reliable", "Fleet uptime across all customer sites", "%", 99.5, 99.95, 99.81),
    KeyResultSpec("revenue", "Annual recurring revenue", "$M", 28, 40, 33.5),
    KeyResultSpec("cost", "Cost to serve per robot per month", "$", 410, 307, 362),
    KeyResultSpec("experience", "Net promoter score", "points", 22, 45, 31),
    KeyResultSpec("uptime", "Unplanned downtime per robot per month", "minutes", 42, 10, 24),
    KeyResultSpec("uptime", "Sites on the new health monitoring", "sites", 0, 38, 27),
    KeyResultSpec("ota", "Robots updated without a site visit", "%", 12, 100, 58),
    KeyResultSpec("mttr", "Median time to recover", "minutes", 95, 45, 41),
    KeyResultSpec("logos", "New enterprise customers signed", "customers", 0, 15, 6),
    KeyResultSpec("logos", "Qualified pipeline", "$M", 8, 20, 14.2),
    KeyResultSpec("resellers", "Reseller partners signed", "partners", 0, 5, 0),
    KeyResultSpec("triage", "Tickets resolved without an agent", "%", 5, 40, 22),
    KeyResultSpec("triage", "First response time", "hours", 9, 2, 4.5),
    KeyResultSpec("supply", "Lead time for drive units", "days", 74, 45, 61),
    KeyResultSpec("maintenance", "Pilot customers live", "customers", 0, 3, 3),
    KeyResultSpec("onboarding", "Days from contract to first robot live", "days", 21, 1, 9),
    KeyResultSpec("onboarding", "Setup steps completed without help", "%", 30, 90, 55),
    KeyResultSpec("supervisor_app", "Weekly active supervisors", "supervisors", 0, 400, 145),
)

# 30 initiatives: 20 active (3 of them unstaffed), 3 proposed, 3 on hold, 4 done; 4 without an objective.
INITIATIVES = (
    InitiativeSpec("health_v2", "Fleet health monitoring v2", "uptime", "platform", "active", 320, -45, 40),
    InitiativeSpec("self_healing", "Self-healing drive controller firmware", "uptime", "platform", "active",
                   None, -30, 55, staffed=False),
    InitiativeSpec("chaos", "Chaos testing for the dispatch service", "uptime", "platform", "proposed", 120,
                   14, 70),
    InitiativeSpec("delta_ota", "Delta OTA packages", "ota", "platform", "active", 240, -50, 21),
    InitiativeSpec("rollout", "Staged rollouts with automatic rollback", "ota", "platform", "active", None,
                   -20, None),
    InitiativeSpec("signed_firmware", "Signed firmware pipeline", "ota", "platform", "done", 160, -90, -12),
    InitiativeSpec("runbooks", "Incident runbooks for every alert", "mttr", "eng", "done", 80, -100, -20),
    InitiativeSpec("oncall", "On-call tooling consolidation", "mttr", "eng", "active", None, -15, 30),
    InitiativeSpec("ci_runners", "Move CI to ephemeral runners", None, "eng", "active", 200, -25, 35),
    InitiativeSpec("task_board", "Supervisor app: task board", "supervisor_app", "mobile", "active", 280, -40,
                   28),
    InitiativeSpec("push_alerts", "Supervisor app: push alerts for robot faults", "supervisor_app", "mobile",
                   "active", None, -10, 49),
    InitiativeSpec("app_beta", "Supervisor app beta at five sites", "supervisor_app", "mobile", "proposed",
                   60, 21, 63),
    InitiativeSpec("offline_sync", "Offline sync engine spike", "offline", "mobile", "on_hold", 90, -20,
                   None),
    InitiativeSpec("mobile_tokens", "Design tokens in the mobile app", None, "mobile", "active", None, -12,
                   18),
    InitiativeSpec("pilot_playbook", "Enterprise pilot playbook", "logos", "sales", "active", 60, -35, 14),
    InitiativeSpec("abm", "Account-based campaign for 3PL leaders", "logos", "sales", "active", None, -28,
                   42),
    InitiativeSpec("roi_calculator", "Pricing page and ROI calculator", "logos", "sales", "active", 90, -14,
                   21),
    InitiativeSpec("reseller_contracts", "Reseller contract templates", "resellers", "sales", "proposed",
                   None, 7, 60),
    InitiativeSpec("nordic_distributors", "Nordic distributor search", "nordics", "sales", "on_hold", None,
                   -60, None),
    InitiativeSpec("logimat", "Trade show: LogiMAT", None, "sales", "done", 40, -70, -40),
    InitiativeSpec("chatbot", "Support chatbot for fault codes", "triage", "ops", "active", 220, -42, 35),
    InitiativeSpec("routing", "Ticket routing rules", "triage", "ops", "active", 40, -10, 10),
    InitiativeSpec("knowledge_base", "Knowledge base rewrite", "triage", "ops", "active", None, -20, None,
                   staffed=False, owned=False),
    InitiativeSpec("second_source", "Second source for drive units", "supply", "ops", "active", None, -30,
                   56),
    InitiativeSpec("spares_forecast", "Spare parts forecasting", "supply", "ops", "on_hold", 100, -45, 30),
    InitiativeSpec("pdm_pilot", "Predictive maintenance pilot at Hallam Logistics", "maintenance", "ops",
                   "done", 150, -120, -15),
    InitiativeSpec("layout_audits", "Warehouse layout audits", None, "ops", "active", None, -5, 25),
    InitiativeSpec("onboarding_flow", "Onboarding flow redesign", "onboarding", "design", "active", 180, -30,
                   28),
    InitiativeSpec("wizard_study", "Site setup wizard usability study", "onboarding", "design", "active", 40,
                   -7, 14),
    InitiativeSpec("a11y_audit", "Console accessibility audit", "experience", "design", "active", 60, -14, 42,
                   staffed=False),
)  # fmt: skip

# Which teams' goals each team's people work on (their own first).
WORKS_FOR = {
    "eng": ("eng", "platform"),
    "platform": ("platform",),
    "mobile": ("mobile",),
    "sales": ("sales",),
    "ops": ("ops",),
    "design": ("design", "mobile"),
}

FEEDBACK = (
    FeedbackSpec("blocker", "delta_ota", "Sam Okafor",
                 "The staging fleet has been down for two days; we cannot test delta packages.", 60,
                 answer="resolved", answer_after_days=1,
                 response="Staging is back; we added a second staging site."),
    FeedbackSpec("risk", "health_v2", "Priya Natarajan",
                 "Telemetry volume will triple once all sites are on v2; the current storage plan will not "
                 "hold.", 52, answer="acknowledged", answer_after_days=2,
                 response="Agreed; budget for storage approved, migration planned."),
    FeedbackSpec("blocker", "chatbot", "Tomás Herrera",
                 "Legal has not approved using past tickets as training data.", 45, answer="acknowledged",
                 answer_after_days=3, response="Escalated to legal; answer expected by Friday."),
    FeedbackSpec("risk", "logos", "Elena Marsh",
                 "Two large deals depend on the ROI calculator being ready before quarter end.", 40,
                 answer="resolved", answer_after_days=4,
                 response="Calculator moved up; sales engineering helps."),
    FeedbackSpec("blocker", "task_board", "Kenji Watanabe",
                 "We still have no test devices for the supervisor app.", 38, answer="acknowledged",
                 answer_after_days=2, response="Ten devices ordered."),
    FeedbackSpec("risk", "second_source", "Morgan Reyes",
                 "The only qualified second source needs six months to certify.", 33, answer="acknowledged",
                 answer_after_days=5, response="Looking at a bridge order with the current supplier."),
    FeedbackSpec("blocker", "onboarding_flow", "Aisha Bello",
                 "Engineering has not committed to the new setup API the redesign needs.", 28,
                 answer="acknowledged", answer_after_days=1,
                 response="Platform will pick it up next sprint."),
    FeedbackSpec("risk", "rollout", "Sam Okafor", "Rollback is untested on the oldest robot models.", 24,
                 answer="acknowledged", answer_after_days=15, response="Test plan for old models added."),
    FeedbackSpec("blocker", "abm", "Jordan Blake", "Marketing budget for the campaign is frozen.", 21,
                 answer="resolved", answer_after_days=18,
                 response="Budget released for the first two waves."),
    FeedbackSpec("blocker", "self_healing", "Priya Natarajan",
                 "Nobody is staffed on the self-healing firmware work.", 35),
    FeedbackSpec("risk", "knowledge_base", "Tomás Herrera",
                 "The knowledge base rewrite has no owner and no people.", 19),
    FeedbackSpec("blocker", "a11y_audit", "Aisha Bello",
                 "The accessibility audit vendor needs a signed purchase order.", 12),
    FeedbackSpec("risk", "uptime", "Priya Natarajan",
                 "A firmware bug in battery monitors could cause a wave of outages.", 9),
    FeedbackSpec("blocker", "push_alerts", "Kenji Watanabe",
                 "Push certificates expired; alerts do not reach iOS devices.", 3, answer="acknowledged",
                 response="Renewing the certificates today."),
    FeedbackSpec("blocker", "routing", "Morgan Reyes",
                 "Routing rules need fields the ticket system does not expose.", 2),
    FeedbackSpec("risk", "roi_calculator", "Elena Marsh",
                 "Finance wants to review every ROI number we publish.", 1),
    FeedbackSpec("idea", "supervisor_app", "Sam Okafor",
                 "Let supervisors reassign robots between zones from the app.", 26, answer="resolved",
                 answer_after_days=4, response="Added to the beta scope."),
    FeedbackSpec("idea", None, "Jordan Blake", "A customer newsletter with uptime stats would help renewals.",
                 16),
    FeedbackSpec("concern", "nordics", "Lars Eriksen",
                 "Cancelling the Nordic plan leaves two signed letters of intent unanswered.", 70,
                 answer="resolved", answer_after_days=6,
                 response="We wrote to both; they stay on the list for next year."),
    FeedbackSpec("concern", None, "Nadia Petrova",
                 "On-call load on the mobile team is much higher than planned.", 8, answer="acknowledged",
                 response="Looking into it with the platform team."),
)  # fmt: skip
