"""The public summary is generated from the records: on a synthetic partnership with known
mandates, Council actions, highlights, outlook and principles, its sentences come in order."""

import datetime

import pytest

from rapport.partnerships.models import Mandate
from rapport.reports.build import public_summary_markdown
from rapport.reports.choices import CouncilActionKind, PartState
from rapport.reports.models import CouncilAction, Highlight, Outlook
from tests.synthetic import build, mark

from .test_inert_text import HOSTILE, markdown_problems

APPROVED = PartState.APPROVED  # only approved parts enter the summary


@pytest.fixture
def known(db):
    """The second period's report of a synthetic partnership, with every input of the summary set here."""
    data = build(prefix="sum", restricted=False)
    partnership, (org0, org1), period = data["partnership"], data["orgs"], data["periods"][1]
    report = period.report
    report.presented_on = datetime.date(2022, 6, 16)
    report.save(update_fields=["presented_on"])
    for key, count, date in (("set2016", 30, datetime.date(2016, 12, 6)), ("set2017", 12, datetime.date(2017, 12, 5))):
        Mandate.objects.filter(partnership=partnership, key=key).update(proposal_count=count, date=date)
    public, restricted = data["levels"]["sum0"][0], data["levels"]["sum0"][2]
    report.highlights.all().delete()
    report.outlook.all().delete()
    report.council_actions.all().delete()
    for order, text in enumerate(["The staffs met every month.", "A first joint exercise took place."], 1):
        Highlight.objects.create(report=report, order=order, text=text, classification=public, state=APPROVED)
    hidden = Highlight.objects.create(report=report, order=3, text="Not for the public.", classification=public,
                                      state=APPROVED)
    mark(hidden, restricted, [org0, org1])
    Outlook.objects.create(report=report, order=1, text="Work on space will start.", classification=public,
                           state=APPROVED)
    for org, action, day in ((org1, CouncilActionKind.WELCOMED, 20), (org0, CouncilActionKind.TOOK_NOTE, 16),
                             (org1, CouncilActionKind.PRESENTED, 2)):
        CouncilAction.objects.create(report=report, organisation=org, action=action,
                                     date=datetime.date(2022, 6, day), classification=public, state=APPROVED)
    return data


def blocks(markdown: str) -> list[tuple[str, str]]:
    """The summary as (kind, text) in reading order: heading, paragraph or bullet."""
    from markdown_it import MarkdownIt

    out, kind = [], None
    for tok in MarkdownIt("commonmark").parse(markdown):
        if tok.type in ("heading_open", "paragraph_open", "list_item_open"):
            kind = kind if kind == "bullet" and tok.type == "paragraph_open" else {
                "heading_open": "heading", "paragraph_open": "paragraph", "list_item_open": "bullet"}[tok.type]
        elif tok.type == "inline":
            out.append((kind, "".join(c.content if c.type == "text" else " " for c in tok.children
                                      if c.type in ("text", "softbreak"))))
        elif tok.type == "list_item_close":
            kind = None
    return out


def test_sentences_of_the_summary_in_order(known):
    md = public_summary_markdown(known["periods"][1])
    assert blocks(md) == [
        ("heading", "SUM partnership: second progress report"),
        ("paragraph", "16 June 2022"),
        ("paragraph", "On 16 June 2022 the Council of SUM0 took note of the second progress report on the "
                      "implementation of the 42 common proposals that the Council of SUM0 and the Council of SUM1 "
                      "endorsed on 6 December 2016 and 5 December 2017. "
                      "The Council of SUM1 welcomed it on 20 June 2022."),
        ("paragraph", "The report sets out the progress that the two organisations made together across the areas "
                      "of cooperation in the period from June 2021 to May 2022."),
        ("paragraph", "Among its main findings:"),
        ("bullet", "The staffs met every month."),
        ("bullet", "A first joint exercise took place."),
        ("paragraph", "Looking ahead:"),
        ("bullet", "Work on space will start."),
        ("paragraph", "The two organisations pursue this cooperation in full respect of the agreed guiding "
                      "principles: mutual openness; reciprocity; and decision-making autonomy of each organisation."),
    ]


def test_principles_named_by_an_outlook_item_are_not_stated_again(known):
    report = known["periods"][1].report
    report.outlook.update(text="All of this stays within openness towards each other, reciprocity, and the autonomy "
                               "of each organisation in its own decisions.")
    md = public_summary_markdown(known["periods"][1])
    assert "guiding principles" not in md
    assert [text for kind, text in blocks(md)][-1].startswith("All of this stays within openness")


@pytest.mark.parametrize("text", ["Openness and reciprocity guide the work.", "The guiding principles apply."])
def test_an_item_that_names_only_some_principles_keeps_the_closing_sentence(known, text):
    known["periods"][1].report.outlook.update(text=text)
    md = public_summary_markdown(known["periods"][1])
    assert blocks(md)[-1][1].startswith("The two organisations pursue this cooperation in full respect")


def test_a_highlight_of_several_paragraphs_gives_a_bullet_per_paragraph(known):
    known["periods"][1].report.highlights.filter(order=1).update(
        text="The staffs met every month.\n\nThey also met\nin the field.")
    bullets = [text for kind, text in blocks(public_summary_markdown(known["periods"][1])) if kind == "bullet"]
    assert bullets[:3] == ["The staffs met every month.", "They also met in the field.",
                           "A first joint exercise took place."]


def test_text_from_the_records_is_inert_in_the_summary(known):
    report = known["periods"][1].report
    report.highlights.filter(order=1).update(text=" ".join(HOSTILE[:30]))
    report.outlook.update(text=" ".join(HOSTILE[30:]))
    assert markdown_problems(public_summary_markdown(known["periods"][1]).encode()) == []
