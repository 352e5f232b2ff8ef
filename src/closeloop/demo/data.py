"""What the demo organisation is made of: its people, its jobs and the words they write.

Plain data only; `closeloop.demo.seed` turns it into rows. Every name, company and address
here is invented. Candidate e-mail addresses use the reserved example.org/example.net
domains and phone numbers the ranges reserved for fiction, so the demo never reaches a
real person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# ---------------------------------------------------------------------------------------------
# People


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    title: str
    roles: tuple[str, ...]  # admin, recruiter, hiring_manager, interviewer
    zone: str
    country: str
    subdivision: str
    manager: str | None = None
    # How long they take to answer (shapes waits and decision times): hiring managers'
    # reviews and decisions, recruiters' submissions and answers.
    speed: str = "medium"
    work_start: int = 9
    work_end: int = 17
    work_days: tuple[int, ...] = (0, 1, 2, 3, 4)

    @property
    def email(self) -> str:
        return f"{self.key}@example.com"


LONDON = ("Europe/London", "GB", "ENG")
BERLIN = ("Europe/Berlin", "DE", "BE")
MUNICH = ("Europe/Berlin", "DE", "BY")
NEW_YORK = ("America/New_York", "US", "NY")

PEOPLE: list[Person] = [
    Person("ada", "Ada Adeyemi", "Head of Talent Acquisition", ("admin",), *LONDON),
    # Recruiters
    Person(
        "rita",
        "Rita Ramos",
        "Senior Technical Recruiter",
        ("recruiter",),
        *LONDON,
        "ada",
        speed="quick",
    ),
    Person("marcus", "Marcus Webb", "Recruiter", ("recruiter",), *BERLIN, "ada"),
    Person("priya", "Priya Nair", "Recruiter", ("recruiter",), *NEW_YORK, "ada"),
    # Hiring managers (some also sit on interview panels)
    Person(
        "sofia",
        "Sofia Lindqvist",
        "VP Engineering",
        ("hiring_manager", "interviewer"),
        *BERLIN,
        "ada",
        speed="quick",
    ),
    Person(
        "hank",
        "Hank Hill",
        "Engineering Manager, Platform",
        ("hiring_manager", "interviewer"),
        *BERLIN,
        "sofia",
        speed="slowest",
    ),
    Person(
        "daniel",
        "Daniel Okafor",
        "Head of Design",
        ("hiring_manager",),
        *LONDON,
        "sofia",
        speed="quick",
    ),
    Person(
        "tomasz",
        "Tomasz Nowak",
        "Data Engineering Lead",
        ("hiring_manager",),
        *MUNICH,
        "sofia",
        speed="medium",
    ),
    Person(
        "lena",
        "Lena Hoffmann",
        "Sales Director, DACH",
        ("hiring_manager", "interviewer"),
        *BERLIN,
        "ada",
        speed="quick",
    ),
    Person(
        "grace",
        "Grace Chen",
        "Director of Customer Success",
        ("hiring_manager",),
        *NEW_YORK,
        "ada",
        speed="slow",
    ),
    # Interviewers
    Person("ivy", "Ivy Morgan", "Staff Engineer", ("interviewer",), *LONDON, "hank"),
    Person("jonas", "Jonas Weber", "Senior Backend Engineer", ("interviewer",), *BERLIN, "hank"),
    Person(
        "mei",
        "Mei Tanaka",
        "Staff Data Engineer",
        ("interviewer",),
        *BERLIN,
        "tomasz",
        work_days=(0, 1, 2, 3),
    ),
    Person(
        "oliver", "Oliver Grant", "Site Reliability Engineer", ("interviewer",), *LONDON, "hank"
    ),
    Person("raj", "Raj Patel", "Platform Engineer", ("interviewer",), *LONDON, "hank"),
    Person(
        "chloe",
        "Chloe Dubois",
        "Senior Product Designer",
        ("interviewer",),
        *LONDON,
        "daniel",
        work_start=8,
        work_end=16,
    ),
    Person("ethan", "Ethan Brooks", "Frontend Lead", ("interviewer",), *NEW_YORK, "sofia"),
    Person("felix", "Felix Braun", "Senior Data Engineer", ("interviewer",), *MUNICH, "tomasz"),
    Person("nina", "Nina Schulz", "Senior Account Executive", ("interviewer",), *BERLIN, "lena"),
    Person("paul", "Paul Fischer", "Sales Engineer", ("interviewer",), *BERLIN, "lena"),
    Person(
        "aisha",
        "Aisha Rahman",
        "Senior Customer Success Manager",
        ("interviewer",),
        *NEW_YORK,
        "grace",
    ),
    Person("marco", "Marco Rossi", "Solutions Consultant", ("interviewer",), *NEW_YORK, "grace"),
]

# The hiring manager who is away, and who covers for them.
OUT_OF_OFFICE_PERSON = "tomasz"
OUT_OF_OFFICE_DELEGATE = "sofia"
OUT_OF_OFFICE_DAYS = (-3, 8)  # from three days ago until eight days from now

# ---------------------------------------------------------------------------------------------
# Jobs


@dataclass(frozen=True)
class JobPlan:
    key: str
    title: str
    team: str
    location: str
    remote: bool
    headcount: int
    status: str
    recruiter: str
    hiring_manager: str
    interviewers: tuple[str, ...]
    must_haves: tuple[str, ...]
    rounds: tuple[str, ...]
    family: str
    region: str
    currency: str
    budget: tuple[int, int]
    candidates: int
    opened_days_ago: float
    # On hold / closed: when that happened. Filled: set by the hire.
    changed_days_ago: float | None = None
    escalation: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


JOBS: list[JobPlan] = [
    JobPlan(
        "backend", "Senior Backend Engineer", "Platform", "Berlin", True, 1, "open",
        "rita", "hank", ("ivy", "jonas", "sofia"),
        ("Python in production", "PostgreSQL at scale", "Designs APIs others build on",
         "On-call experience"),
        ("Technical interview", "System design", "Team conversation"),
        "backend", "berlin", "EUR", (85_000, 105_000), 38, 76, escalation="sofia",
    ),
    JobPlan(
        "sre", "Site Reliability Engineer", "Infrastructure", "London", False, 1, "open",
        "rita", "hank", ("ivy", "oliver", "raj"),
        ("Kubernetes in production", "Terraform", "Incident response", "Linux internals"),
        ("Technical interview", "Incident scenario"),
        # 25 here and the 3 that the intake's drift story adds: the demo has 250 candidates.
        "sre", "london", "GBP", (80_000, 100_000), 25, 41, escalation="sofia",
    ),
    JobPlan(
        "designer", "Product Designer", "Design", "London", True, 1, "open",
        "rita", "daniel", ("chloe", "ethan", "hank"),
        ("Portfolio with shipped B2B work", "Interaction design", "Runs user research"),
        ("Portfolio review", "Design exercise"),
        "design", "london", "GBP", (60_000, 75_000), 30, 55, escalation="sofia",
    ),
    JobPlan(
        "data", "Data Engineer", "Data", "Munich", False, 1, "open",
        "marcus", "tomasz", ("mei", "felix", "ivy"),
        ("SQL and data modelling", "Airflow or Dagster", "Python", "Streaming (Kafka)"),
        ("Technical interview", "Data modelling case"),
        "data", "munich", "EUR", (75_000, 90_000), 26, 50, escalation="sofia",
    ),
    JobPlan(
        "ae", "Account Executive, DACH", "Sales", "Berlin", False, 3, "open",
        "marcus", "lena", ("nina", "paul"),
        ("B2B SaaS closing record", "German and English", "Mid-market deal sizes"),
        ("Sales conversation", "Mock discovery call"),
        "sales", "berlin", "EUR", (60_000, 70_000), 34, 80, escalation="ada",
    ),
    JobPlan(
        "csm", "Customer Success Manager", "Customer Success", "New York", False, 2, "open",
        "priya", "grace", ("aisha", "marco", "lena"),
        ("Owns renewals", "SaaS onboarding", "Executive communication"),
        ("Customer scenario", "Team conversation"),
        "cs", "nyc", "USD", (85_000, 105_000), 30, 66, escalation="ada",
    ),
    JobPlan(
        "frontend", "Frontend Engineer", "Web", "Remote (Europe)", True, 1, "on_hold",
        "priya", "sofia", ("ethan", "jonas", "chloe"),
        ("TypeScript", "Accessible UI", "React or similar"),
        ("Technical interview", "Pairing session"),
        "frontend", "eu_remote", "EUR", (70_000, 90_000), 18, 62, changed_days_ago=5,
        escalation="ada",
    ),
    JobPlan(
        "security", "Staff Security Engineer", "Security", "Berlin", True, 1, "draft",
        "marcus", "sofia", ("jonas",),
        ("Threat modelling", "Cloud security (AWS)", "Secure code review"),
        ("Technical interview",),
        "backend", "berlin", "EUR", (110_000, 135_000), 0, 2, escalation="ada",
    ),
    JobPlan(
        "em", "Engineering Manager, Payments", "Payments", "Berlin", False, 1, "filled",
        "marcus", "hank", ("sofia", "jonas", "ivy"),
        ("Led a team of 5+ engineers", "Payments or fintech", "Hiring experience"),
        ("Leadership interview", "Technical deep dive", "Meet the team"),
        "em", "berlin", "EUR", (110_000, 130_000), 26, 90, escalation="sofia",
    ),
    JobPlan(
        "marketing", "Growth Marketing Manager", "Marketing", "New York", False, 1, "closed",
        "priya", "grace", ("aisha", "marco"),
        ("Paid acquisition", "B2B funnels", "Experiment design"),
        ("Marketing case", "Team conversation"),
        "marketing", "nyc", "USD", (95_000, 120_000), 20, 88, changed_days_ago=31,
        escalation="ada",
    ),
]  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Candidates

FIRST_NAMES = [
    "Aaliyah", "Adrian", "Agnieszka", "Ahmed", "Aiko", "Alejandro", "Alice", "Amara", "Anders",
    "Andrea", "Ania", "Arjun", "Astrid", "Ben", "Bianca", "Carlos", "Caroline", "Chen", "Chiara",
    "Claire", "Dara", "David", "Deniz", "Diego", "Ella", "Emeka", "Emil", "Emma", "Fatima",
    "Finn", "Florian", "Freya", "Gabriel", "Hana", "Hannah", "Hugo", "Ines", "Isaac", "Jakob",
    "James", "Jasmine", "Javier", "Jin", "Joanna", "Jonah", "Julia", "Kai", "Karim", "Katarzyna",
    "Kenji", "Laila", "Lars", "Leila", "Leon", "Lucas", "Lucia", "Luis", "Maja", "Malik",
    "Marta", "Mateo", "Max", "Maya", "Mia", "Mohammed", "Nadia", "Naomi", "Nikolai", "Noah",
    "Nora", "Omar", "Oskar", "Pablo", "Pia", "Rafael", "Rosa", "Ruth", "Samir", "Sara", "Sean",
    "Selin", "Simon", "Sophie", "Stefan", "Tariq", "Thea", "Theo", "Tobias", "Valentina",
    "Victor", "Wei", "Yara", "Yusuf", "Zara", "Zoe",
]  # fmt: skip
LAST_NAMES = [
    "Abbott", "Ahmadi", "Alvarez", "Andersen", "Bauer", "Becker", "Bennett", "Bianchi", "Brandt",
    "Campbell", "Castro", "Costa", "Dahl", "Doyle", "Eriksen", "Farouk", "Ferreira", "Fischer",
    "Fleming", "Garcia", "Gupta", "Hartmann", "Hayes", "Horvath", "Hughes", "Ibrahim", "Ito",
    "Jansen", "Jensen", "Kaur", "Keller", "Khan", "Kim", "Klein", "Kowalski", "Kraus", "Lang",
    "Larsen", "Lehmann", "Lopez", "Maier", "Martin", "Mehta", "Meyer", "Moreau", "Murphy",
    "Nakamura", "Nguyen", "Novak", "O'Brien", "Okafor", "Olsen", "Ortega", "Park", "Petrov",
    "Quinn", "Reyes", "Richter", "Romano", "Rossi", "Sato", "Schmidt", "Schneider", "Shah",
    "Silva", "Singh", "Sokolova", "Suzuki", "Takahashi", "Thompson", "Torres", "Vogel", "Wagner",
    "Walsh", "Wang", "Wilson", "Wolf", "Yilmaz", "Young", "Zhang", "Zimmermann",
]  # fmt: skip

COMPANIES = {
    "backend": ["Northwind Systems", "Kestrel Pay", "Brightwave", "Lumen Labs", "Tessellate",
                "Fernhill Health", "Orbit Logistics", "Quanta Freight", "Parcelly"],
    "sre": ["Stratus Cloud", "Kestrel Pay", "Ironbridge Hosting", "Northwind Systems",
            "Lumen Labs", "Beacon Telecom", "Parcelly"],
    "design": ["Studio Halcyon", "Fernhill Health", "Mapleleaf Bank", "Brightwave",
               "Inkwell Agency", "Tessellate", "Pocketmed"],
    "data": ["Quanta Freight", "Orbit Logistics", "Datalake GmbH", "Mapleleaf Bank",
             "Kestrel Pay", "Greenfield Energy"],
    "sales": ["Salesmark", "Cloudnest", "Ledgerline", "Brightwave", "Tessellate",
              "Vireo Software", "Helio CRM"],
    "cs": ["Helio CRM", "Cloudnest", "Vireo Software", "Ledgerline", "Pocketmed",
           "Beacon Telecom"],
    "frontend": ["Brightwave", "Studio Halcyon", "Pocketmed", "Lumen Labs", "Tessellate"],
    "em": ["Kestrel Pay", "Mapleleaf Bank", "Ledgerline", "Northwind Systems", "Parcelly"],
    "marketing": ["Cloudnest", "Salesmark", "Vireo Software", "Growthly", "Helio CRM"],
}  # fmt: skip
TITLES = {
    "backend": ["Backend Engineer", "Senior Software Engineer", "Software Engineer II",
                "Senior Python Developer", "Platform Engineer"],
    "sre": ["Site Reliability Engineer", "DevOps Engineer", "Infrastructure Engineer",
            "Cloud Engineer", "Senior SRE"],
    "design": ["Product Designer", "Senior UX Designer", "UI/UX Designer",
               "Interaction Designer"],
    "data": ["Data Engineer", "Analytics Engineer", "Senior Data Engineer", "BI Engineer"],
    "sales": ["Account Executive", "Senior Account Executive", "Sales Manager",
              "Business Development Representative"],
    "cs": ["Customer Success Manager", "Account Manager", "Implementation Consultant",
           "Client Partner"],
    "frontend": ["Frontend Engineer", "Senior Frontend Developer", "JavaScript Engineer"],
    "em": ["Engineering Manager", "Tech Lead", "Senior Engineering Manager",
           "Head of Engineering"],
    "marketing": ["Growth Marketer", "Performance Marketing Manager",
                  "Demand Generation Manager"],
}  # fmt: skip
LOCATIONS = {
    "berlin": ["Berlin", "Berlin", "Hamburg", "Leipzig", "Potsdam", "Warsaw", "Lisbon"],
    "london": ["London", "London", "Manchester", "Bristol", "Brighton", "Cambridge"],
    "munich": ["Munich", "Munich", "Augsburg", "Nuremberg", "Stuttgart", "Vienna"],
    "nyc": ["New York, NY", "Brooklyn, NY", "Jersey City, NJ", "Boston, MA", "Philadelphia, PA"],
    "eu_remote": ["Lisbon", "Amsterdam", "Warsaw", "Barcelona", "Berlin", "Dublin"],
}
# Number ranges set aside for fiction (Ofcom 07700 900xxx, NANP 555-01xx, Berlin 030 23125xxx).
PHONES = {
    "london": "+44 7700 900{:03d}",
    "berlin": "+49 30 23125{:03d}",
    "munich": "+49 30 23125{:03d}",
    "eu_remote": "+49 30 23125{:03d}",
    "nyc": "+1 212 555 01{:02d}",
}
LINK_SITES = {
    "backend": "github",
    "sre": "github",
    "data": "github",
    "frontend": "github",
    "design": "portfolio",
}
SOURCES = {"sourced": 44, "inbound": 26, "referral": 15, "agency": 8, "event": 4, "internal": 3}

# ---------------------------------------------------------------------------------------------
# Words: what recruiters pitch, what hiring managers answer, why candidates leave.

PITCH_OPENERS = [
    "{first} is currently {title} at {company}, with {years} years of experience.",
    "{first} has {years} years in the field, most recently as {title} at {company}.",
    "Currently {title} at {company}; {years} years in the field.",
]
PITCH_EXTRAS = [
    "Looking for more ownership than a big company allows.",
    "Notice period is {notice} weeks.",
    "Wants a team that ships weekly; very motivated by our mission.",
    "Referred by a former colleague who rates them highly.",
    "Open to hybrid work; lives in {location}.",
    "Strong written communication — the cover note was the best I have read this month.",
    "Has interviewed elsewhere; I would move quickly on this one.",
]
PITCH_OVER_BUDGET = "Expects {comp} — above our range, but says the package is negotiable."

ADVANCE_NOTES = [
    "Good depth on {must}. Let's talk.",
    "Interesting background at {company}. Happy to do the screening call.",
    "Yes please.",
    "Solid profile. Book the call.",
    "",
]
SCREEN_NOTES = [
    "Screening call went well; on to interviews.",
    "Good call. Curious, clear about what they want.",
    "Strong call — line up the panel.",
]
PASS_NOTES = {
    "skills": [
        "No hands-on {must} that I can see.",
        "{must} is only mentioned in passing; we need it from day one.",
        "Strong generalist, but {must} is a must-have and it is missing.",
    ],
    "experience": [
        "Too junior for this level; I'd gladly look again in a year.",
        "Mostly managing rather than building for the last three years.",
        "Over-qualified for the scope; I think they would be bored in six months.",
    ],
    "compensation": [
        "Expectations are well above our range.",
        "The gap on base salary is too big to bridge.",
    ],
    "location": [
        "Needs fully remote; the team is in the office three days a week.",
        "Relocation is not possible for this role.",
    ],
    "communication": [
        "The written answers were hard to follow.",
        "Struggled to explain their own projects clearly.",
    ],
    "team_fit": [
        "Looking for a research-heavy role; this one is about shipping.",
        "Wants to lead people; this is an individual-contributor role.",
    ],
    "stability": ["Four jobs in three years; not the right moment for us."],
    "other_candidate": ["We are further along with two stronger candidates."],
    "other": ["An internal candidate applied; pausing external profiles like this one."],
}
PASS_REASONS = {
    "skills": 30,
    "experience": 24,
    "compensation": 12,
    "location": 8,
    "team_fit": 11,
    "communication": 5,
    "stability": 5,
    "other_candidate": 3,
    "other": 2,
}
SOURCING_REJECT_REASONS = {"experience": 4, "skills": 4, "compensation": 2, "location": 2}
SCREEN_REJECT_REASONS = {"team_fit": 4, "communication": 2, "experience": 3, "compensation": 2}
INTERVIEW_REJECT_REASONS = {"skills": 5, "experience": 2, "communication": 2, "team_fit": 2}
DEBRIEF_REJECT_REASONS = {"other_candidate": 5, "team_fit": 2, "skills": 2}
INTERVIEW_REJECT_NOTES = {
    "skills": ["The {round} showed real gaps in {must}."],
    "experience": ["Not yet at the level the {round} was looking for."],
    "communication": ["Hard to follow in the {round}; the panel agreed."],
    "team_fit": ["The panel felt the way they like to work would clash with the team."],
}
DEBRIEF_NOTES = {
    "other_candidate": ["Debrief: good, but we are going with a stronger finalist."],
    "team_fit": ["Debrief: split panel; not a yes."],
    "skills": ["Debrief: {must} was the deciding gap."],
}
OFFER_NOTES = ["Debrief: unanimous hire.", "Debrief: hire; level as senior.", "Debrief: yes."]

WITHDRAWAL_NOTES = {
    "not_interested": ["Not looking to move right now.", "Happy where they are after all."],
    "personal": ["Family reasons; wants to revisit next year."],
    "process_too_slow": [
        "Waited too long to hear back and moved on with another process.",
        "Said a week of silence after submitting told them enough.",
    ],
    "other_offer": ["Accepted an offer at {other}.", "Took a role at {other} that came first."],
    "counter_offer": ["Accepted a counter-offer from {company}."],
    "compensation": ["Our offer was below what they need."],
}
SOURCING_WITHDRAWALS = {"not_interested": 6, "personal": 1, "other_offer": 2}
LATE_WITHDRAWALS = {"other_offer": 4, "process_too_slow": 3, "personal": 1}
SLOW_WITHDRAWAL = {"process_too_slow": 1}
OFFER_DECLINES = {"other_offer": 3, "counter_offer": 2, "compensation": 2}

QUESTIONS = [
    (
        "What is {first}'s notice period?",
        "Three months, but {company} usually lets people go after two.",
    ),
    (
        "How much hands-on experience does {first} have with {must}, really?",
        "Two years of it at {company}, day to day; happy to dig in on the call.",
    ),
    (
        "Why is {first} leaving {company} after such a short time?",
        "Their team is being moved abroad and they want to stay put.",
    ),
    ("Is the salary expectation flexible?", "Some flexibility: they care more about scope."),
]
# The one question hank is waiting on rita for.
OPEN_QUESTION = "Before I decide: has {first} done on-call before? The CV does not say."

INTERVIEW_PLACES = ["Video call", "Video call", "{office} office"]
# The time zone of each office (a job's location); an interview there is in its zone. A job
# whose location is not an office (remote) interviews by video call.
OFFICE_ZONES = {
    "Berlin": "Europe/Berlin",
    "London": "Europe/London",
    "Munich": "Europe/Berlin",
    "New York": "America/New_York",
}


def round_minutes(position: int) -> int:
    """How long round `position` (0 = first) of a demo interview plan lasts."""
    return 60 if position == 0 else 45


INTERVIEW_HOURS = [9.5, 10.0, 11.0, 13.5, 14.0, 15.0, 16.0]
