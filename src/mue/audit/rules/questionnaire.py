"""The questionnaire: rules a person answers where no data of the register can tell.

Each item counts in its domain's score like a rule with one object in scope (yes = passes,
partly = half, no = fails, don't know or unanswered = not counted), and is shown as *declared*.
"""

from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Question

QUESTIONS = (
    Question(
        id="CON-Q01", domain="continuity", severity="high",
        title=_("Are backups restored in a test at least once a year?"),
        rationale=_("Only a restore proves a backup works; untested backups fail when they are needed."),
        remediation=_("Schedule a yearly restore test of each critical service's data and record the result."),
    ),
    Question(
        id="CON-Q02", domain="continuity", severity="high",
        title=_("Is a copy of the backups kept offline or off-site, out of reach of ransomware?"),
        rationale=_("Ransomware encrypts the backups it can reach; an offline or immutable copy is what restores."),
        remediation=_("Keep one backup copy offline, immutable or in another site (3-2-1 rule)."),
    ),
    Question(
        id="SEC-Q01", domain="security", severity="high",
        title=_("Do administrators use separate accounts for administration and for daily work?"),
        rationale=_("A phishing e-mail read with an administrator account gives the attacker the whole system."),
        remediation=_("Create dedicated administration accounts, used only for administration, with MFA."),
    ),
    Question(
        id="SEC-Q02", domain="security", severity="medium",
        title=_("Are staff made aware of phishing and security risks every year?"),
        rationale=_("Most incidents start with a person tricked into clicking; awareness reduces it."),
        remediation=_("Run a yearly awareness session (e.g. the ANSSI's or cybermalveillance.gouv.fr's material)."),
    ),
    Question(
        id="DAT-Q01", domain="data-protection", severity="high",
        title=_("Is a data protection officer (DPO) designated and known to the staff?"),
        rationale=_("Public bodies must designate a DPO (GDPR art. 37); it is the contact of the staff and the "
                    "authority."),
        remediation=_("Designate a DPO (possibly shared between communes) and declare them to the authority."),
    ),
    Question(
        id="DOC-Q01", domain="documentation", severity="low",
        title=_("Has a second advisor reviewed the register and this audit (peer review)?"),
        rationale=_("The advisors' charter asks for peer review: a second reader catches what the first missed."),
        remediation=_("Ask a peer advisor to review the register and the report before it is published."),
    ),
    Question(
        id="USE-Q01", domain="usage", severity="medium",
        title=_("Can staff ask for a new digital tool through a known, quick procedure?"),
        rationale=_("Shadow IT grows where asking takes longer than signing up; a quick path brings needs to light."),
        remediation=_("Publish a simple request procedure with a short answer delay."),
    ),
    Question(
        id="SKL-Q01", domain="skills", severity="medium",
        title=_("Have staff assessed their digital skills (DigComp, Pix) in the last two years?"),
        rationale=_("Training follows an assessment of needs; digital culture is one of the advisor's missions."),
        remediation=_("Offer a skills self-assessment (Pix) and a training plan to the teams."),
    ),
    Question(
        id="SKL-Q02", domain="skills", severity="high",
        title=_("Can at least two people run each critical service?"),
        rationale=_("A service only one person can run stops when that person is away."),
        remediation=_("Train a second person for each critical service and write down what they need."),
    ),
    Question(
        id="TOU-Q01", domain="terms", severity="low",
        title=_("Are the terms of use the organization publishes written in plain language and balanced?"),
        rationale=_("Terms published to citizens or customers must be readable and fair to both sides."),
        remediation=_("Rewrite the published terms with the legal adviser in plain language."),
    ),
    Question(
        id="CST-Q01", domain="costs", severity="low",
        title=_("Is the budget of digital tools reviewed once a year with the business units?"),
        rationale=_("Costs nobody reviews only grow; the yearly review is where sobriety decisions are made."),
        remediation=_("Review the cost lines with the business units before the yearly budget."),
    ),
    Question(
        id="CTR-Q01", domain="contracts", severity="medium",
        title=_("Is someone in charge of the renewal calendar of contracts and their notice deadlines?"),
        rationale=_("Tacit renewals are missed when nobody watches the calendar."),
        remediation=_("Name a person in charge and subscribe them to Mue's renewal calendar."),
    ),
)

for _question in QUESTIONS:
    register(_question)
