"""The words that name events in news, and the noun each is titled with.

Our own lists. A noun names the event itself ("the visit", "talks", "the
election"); a verb form is mapped to the noun a title uses ("met" ->
"Meeting"). Reporting verbs (said, announced, emphasised) are left out on
purpose: they date a statement, not an event worth a calendar entry.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string (long lists stay readable)."""
    return frozenset(text.split())


def _table(text: str) -> dict[str, str]:
    """``"title: word word ..."`` lines -> {word: title}."""
    table: dict[str, str] = {}
    for line in text.strip().splitlines():
        title, forms = line.split(":")
        for form in forms.split():
            table[form] = title.strip()
    return table


EVENT_NOUNS = _table(
    """
    Visit: visit visits
    State visit: state-visit
    Trip: trip trips tour
    Meeting: meeting meetings
    Talks: talks negotiations consultations
    Summit: summit
    Conference: conference congress convention forum
    Session: session plenary
    Hearing: hearing hearings
    Trial: trial
    Verdict: verdict sentencing
    Ruling: ruling
    Vote: vote ballot
    Election: election elections polls
    Referendum: referendum
    Inauguration: inauguration swearing-in
    Ceremony: ceremony commemoration celebrations celebration
    Funeral: funeral
    Signing: signing
    Launch: launch rollout
    Opening: opening reopening re-opening
    Closure: closure closures shutdown
    Filing: filing
    Completion: completion
    Results: results
    Strike: strike walkout
    Protest: protest protests demonstration demonstrations rally rallies march
    Exercise: exercise exercises drills
    Debate: debate
    Deadline: deadline
    Ceasefire: ceasefire truce
    Attack: attack attacks bombing bombings shooting raid airstrike airstrikes
    Explosion: explosion blast
    Earthquake: earthquake quake
    Festival: festival concert exhibition premiere
    Match: match final tournament championship
    Auction: auction
    Offering: ipo listing
    Merger: merger takeover acquisition
    Arrival: arrival
    Departure: departure
    Resignation: resignation
    Appointment: appointment
    Release: release
    Arrest: arrest
    Speech: speech address
    Decision: decision
    Budget: budget
    Earnings: earnings
    Visit: stopover
    """
)

EVENT_VERBS = _table(
    """
    Meeting: meet meets met meeting
    Visit: visit visits visited visiting
    Trip: travel travels traveled travelled traveling travelling fly flew flies flying
    Arrival: arrive arrives arrived arriving
    Departure: depart departs departed departing
    Talks: negotiate negotiates negotiated negotiating
    Signing: sign signs signed signing
    Vote: vote votes voted voting
    Election: elect elects elected
    Launch: launch launches launched launching
    Opening: open opens opened reopen reopens reopened re-open re-opens re-opened
    Closure: close closes closed shut shuts
    Filing: file files filed
    Completion: complete completes completed
    Protest: protest protests protested protesting rallied marched
    Attack: attack attacks attacked attacking bombed raided
    Resignation: resign resigns resigned resigning
    Appointment: appointed appoint appoints
    Arrest: arrested detained
    Release: freed
    Ruling: ruled rule rules
    Ratification: ratify ratifies ratified
    Approval: approve approves approved
    Invasion: invade invades invaded invading
    Withdrawal: withdraw withdraws withdrew withdrawing
    Hearing: testify testifies testified testifying
    Death: died
    Killing: killed
    Inauguration: inaugurate inaugurated sworn
    Strike: struck strike strikes striking
    Debate: debate debates debated debating
    """
)

THING_VERBS = _table(
    """
    Flight: fly flew flies flying
    """
)
"""The kind an event verb takes when its subject is a thing, not a person: an aircraft that flies makes a
flight, a person who flies a trip (``EVENT_VERBS``)."""

VEHICLES = words(
    """plane planes aircraft airliner airliners jet jets helicopter helicopters drone drones rocket rockets
    spacecraft probe satellite balloon airship prototype glider"""
)
"""Common nouns for things that fly: "the new plane flew" is a flight."""

PHRASES = {
    ("stand", "down"): "Resignation", ("stands", "down"): "Resignation", ("stood", "down"): "Resignation",
    ("standing", "down"): "Resignation", ("step", "down"): "Resignation", ("steps", "down"): "Resignation",
    ("stepped", "down"): "Resignation", ("stepping", "down"): "Resignation",
}  # fmt: skip
"""Two-word event verbs: the first word is the event word, the second must follow it."""

TITLE_PATTERNS = {
    "Filing": ("{who} to file {rest}", "{who} files {rest}"),
    "Resignation": ("{who} to step down {rest}", "{who} steps down {rest}"),
    "Appointment": ("{who} to be appointed {rest}", "{who} appointed {rest}"),
    "Completion": ("{who} to be completed {rest}", "{who} completed {rest}"),
    "Closure": ("{who} to close {rest}", "{who} closed {rest}"),
    "Opening": ("{who} to open {rest}", "{who} opens {rest}"),
    "Ruling": ("{who} to rule {rest}", "{who} rules {rest}"),
    "Vote": ("{who} vote {rest}", "{who} vote {rest}"),
}
"""Titles that say who did what, for event verbs whose subject is known: (ahead, done). ``{who}`` is the
clause's subject, ``{rest}`` what follows the event word: "Globex files for bankruptcy protection"."""

LIGHT_VERBS = words(
    """hold holds held holding host hosts hosted hosting convene convenes convened call calls called attend
    stage stages staged staging organise organises organised organize organizes organized"""
)
"""Verbs whose object is their subject's event: "the G7 will hold an emergency meeting" -> "G7 emergency meeting"."""

MARKET_SUBJECTS = words(
    """stocks shares markets market prices index indexes indices dollar euro yen pound bonds oil gold futures
    equities currency currencies"""
)
"""Subjects that make "rally", "open", "close" a market's move, not a protest or a site's opening."""

WHEN_ADVERBS = words("later earlier soon shortly afterwards afterward meanwhile now currently recently then")
"""Adverbs of time after an event word, which end its phrase: "a Fed meeting later on Tuesday"."""
NEGATIONS = words("not n't never no without")
"""Words that deny the event word they stand before: "the exchange was not open"."""
OCCURRING = words("happen happens happened happening occur occurs occurred occurring")
"""Verbs whose subject is the event ("the blast occurred on Friday"): the date is the event noun's."""
FAILING = words("fail fails failed refuse refuses refused decline declines declined")
"""Verbs that, followed by "to", deny the event after them: "sales failed to meet expectations"."""
HYPOTHETICAL = words("if unless whether")
"""Words that open a condition: "if a price is not agreed" is no event."""
COMPARISON = words("since than")
"""Words before a noun that compare with a past event: "the biggest fall since the 2001 attacks"."""
SUPERLATIVES = words("most least first worst best highest lowest biggest largest smallest sharpest steepest")
"""Words that make "since" a comparison ("the biggest fall since ..."), not a starting point ("since its launch")."""
NOT_AN_EVENTS_DATE = words("anniversary anniversaries")
"""A date of the anniversary is not the date of what it remembers: "the 20th anniversary of the crash"."""

RESCHEDULING = words(
    """starts start begins begin opens runs continues resume resumes resumed kicks takes held hold moved postponed
    delayed rescheduled brought pushed put"""
)
"""Verbs between an event word and its date that say when it happens ("has been moved to March 12",
"will resume in the coming weeks", "is held on"): the date still reaches the event word."""

PLANNING = words("expected set scheduled due slated poised planning plans plan planned intends intend preparing going")
"""Words that, followed by "to" and an event verb, announce an event ahead: "is expected to visit"."""

PLANNED = words("planned upcoming proposed forthcoming scheduled expected anticipated")
"""Adjectives that put an event noun ahead: "the planned visit"."""

CANCELLED = words("cancelled canceled postponed scrapped suspended shelved abandoned")
"""Words that undo a plan: an undated planned event they touch is not kept."""

AMBIGUOUS_NOUNS = words(
    """match release march address strike final exercise launch opening debate tour trial session rally protest
    attack vote ballot listing offering signing arrival departure release arrest ruling deadline hearing meeting
    budget"""
)
"""Event nouns that are also common verbs or adjectives: they count only after a determiner or a name
("the final", "Barcelona final", "Thursday's hearing"), not in "to match" or "final figures"."""

COMPOUND_HEADS = words(
    """house houses document documents campaign campaigns season room team centre center site officials papers
    process period date dates schedule schedules calendar results ticket tickets system rules law commission
    committee board spokesman spokeswoman office plan plans bid fees costs market warrant warrants video footage
    record records run runs talks goal goals speech time times award awards deficit deficits surplus cuts cut gap
    shortfall constraints seconds minutes hours days weeks months years side sides club clubs player players
    squad squads fixture fixtures whistle"""
)
"""Nouns after an event word that make it a modifier: "auction house", "arrest warrant", "election campaign",
"the opening months of 2004", "the final seconds of extra time" (a stretch of time, not the event),
"Championship sides", "the final whistle"."""

NOT_EVENTS = words(
    """be is are was were been being am 's 're 'm have has had having do does did will would shall should can could
    may might must ought according going get got gets"""
)
"""Verbs that carry a clause without naming what happened: auxiliaries and copulas."""

REPORTING = words(
    """say says said saying tell tells told telling report reports reported announce announces announced add adds
    added note notes noted state states stated claim claims claimed"""
)
"""Verbs that report speech: the date of a "said on Monday" is the saying's, rarely what is said."""

DETERMINERS = words("the a an its his her their our this that these those")
PREPOSITIONS = words("on in at by from for during until till through since before after of to over")

ROLE_WORDS = words(
    """president vice prime minister deputy foreign defence defense interior finance secretary general state
    director director-general chief executive officer ceo chairman chairwoman chair ambassador envoy spokesman
    spokeswoman spokesperson king queen prince princess sheikh emir pope senator governor mayor chancellor
    commander lieutenant colonel major captain admiral judge justice attorney adviser advisor top senior former
    acting mr mrs ms dr sir lord lady gen rep sen gov"""
)
"""Role words stripped from the front of a name when titles name participants."""
