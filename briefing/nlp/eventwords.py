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
    Ceremony: ceremony commemoration celebrations celebration anniversary
    Funeral: funeral
    Signing: signing
    Launch: launch rollout
    Opening: opening
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
    Opening: open opens opened
    Protest: protest protests protested protesting rallied marched
    Attack: attack attacks attacked attacking bombed raided
    Resignation: resign resigns resigned resigning
    Appointment: appointed
    Arrest: arrested detained
    Release: freed
    Ruling: ruled
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
    process period date results ticket tickets system rules law commission committee board spokesman spokeswoman
    office plan plans bid fees costs market warrant warrants video footage record records run runs talks goal goals
    speech time times award awards deficit deficits surplus cuts cut gap shortfall constraints"""
)
"""Nouns after an event word that make it a modifier: "auction house", "arrest warrant", "election campaign"."""

NOT_EVENTS = words(
    """be is are was were been being am 's 're 'm have has had having do does did will would shall should can could
    may might must ought according going get got gets"""
)
"""Verbs that carry a clause without naming what happened: auxiliaries and copulas."""

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
