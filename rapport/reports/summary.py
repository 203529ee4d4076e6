"""The public summary: a short text in the form of a Council press release,
written only from what the public edition may contain.

It reads the same visible records as the public edition (rank 0), so nothing
that is not PUBLIC can reach it.
"""

from __future__ import annotations

from .assemble import Records, load_records
from .editions import resolve_edition
from .sections import day, lower_first, proposal_sets, words


def _councils_of(r: Records, mandates) -> list[str]:
    orgs = {o.pk: o for m in mandates for o in m.issued_by.all()}
    return [o.council for o in sorted(orgs.values(), key=lambda o: o.key)]


def _endorsement(r: Records) -> str:
    sets = proposal_sets(r)
    if not sets:
        return f"the commitments of the {r.period.partnership.name}"
    total = sum(n for _, n in sets)
    councils = words([f"the {c}" for c in _councils_of(r, [m for m, _ in sets])]) or "the Councils"
    return (f"the {total} common proposals that {councils} endorsed on "
            f"{words([day(m.date) for m, _ in sets])}")


def _opening(r: Records) -> str:
    p = r.period
    subject = f"the {p.ordinal_word} progress report on the implementation of {_endorsement(r)}"
    actions = [a for a in r.council_actions if a.action in ("took_note", "welcomed", "noted_in_conclusions")]
    if actions:
        verbs = {"took_note": "took note of", "welcomed": "welcomed", "noted_in_conclusions": "took note of"}
        parts = [f"On {day(a.date)} the {a.organisation.council} {verbs[a.action]} {subject}." for a in actions[:1]]
        others = [f"The {a.organisation.council} {verbs[a.action]} it on {day(a.date)}." for a in actions[1:]]
        return " ".join(parts + others)
    return f"This is {subject}."


def public_summary_markdown(period) -> str:
    """The press-release style summary of one period's report, as Markdown, from PUBLIC content only."""
    edition = resolve_edition(period.partnership, "public", period)
    r = load_records(period, edition)
    p = period
    orgs = "the two organisations" if len(r.orgs) == 2 else f"the {len(r.orgs)} organisations"
    lines = [f"# {p.partnership.name}: {p.ordinal_word} progress report", ""]
    if r.report and r.report.presented_on:
        lines += [f"*{day(r.report.presented_on)}*", ""]
    lines += [_opening(r), ""]
    lines += [f"The report sets out the progress that {orgs} made together across the areas of cooperation "
              f"in the period from {p.start:%B %Y} to {p.end:%B %Y}.", ""]
    if r.highlights:
        lines += ["Among its main findings:", ""]
        lines += [f"- {h.text}" for h in r.highlights] + [""]
    if r.outlook:
        lines += ["Looking ahead:", ""]
        lines += [f"- {o.text}" for o in r.outlook] + [""]
    principles = p.partnership.principle_list()
    if principles:
        lines += [f"{orgs.capitalize()} pursue this cooperation in full respect of the agreed guiding principles: "
                  + "; ".join(lower_first(x) for x in principles) + ".", ""]
    return "\n".join(lines)
