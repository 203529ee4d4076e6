"""A small corpus in English and French, written as commitments every reader may see,
and one a European reader may not."""

from __future__ import annotations

import pytest

CORPUS = {
    "SRCH-A": ("Cyberdéfense des réseaux", "Protection des réseaux de commandement."),
    "SRCH-B": ("Exercices conjoints", "Exercices conjoints de cyber défense entre états-majors."),
    "SRCH-C": ("Joint exercises", "Joint cyber-defence exercises between the staffs."),
    "SRCH-D": ("Staff training", "Cyberdefense training for national staff."),
    "SRCH-E": ("Défense aérienne", "Défense aérienne intégrée; le volet cyber est traité ailleurs."),
    "SRCH-F": ("Air defence", "Integrated air defence capability."),
    "SRCH-G": ("Mobilité militaire", "Les capacités nationales de transport sont recensées."),
    "SRCH-H": ("Military mobility", "National capabilities for transport are listed."),
}
HIDDEN = ("SRCH-X", "Cyberdéfense confidentielle", "Un volet de cyberdéfense réservé à l'OTAN.")


@pytest.fixture
def corpus(eu_nato, level):
    from rapport.commitments.models import Commitment
    from rapport.partnerships.models import Organisation

    first = Commitment.objects.filter(partnership=eu_nato).order_by("pk").first()
    every = list(eu_nato.organisations.all())

    def add(ref, title, text, classification, releasable_to, order):
        c = Commitment.objects.create(partnership=eu_nato, ref=ref, mandate=first.mandate, area=first.area,
                                      title=title, text=text, order=order, classification=classification)
        c.releasable_to.set(releasable_to)
        return c

    made = {ref: add(ref, title, text, level(0, scheme="eu"), every, 9000 + n)
            for n, (ref, (title, text)) in enumerate(CORPUS.items())}
    made[HIDDEN[0]] = add(*HIDDEN, level("NATO CONFIDENTIAL"), [Organisation.objects.get(key="nato")], 9999)
    return made


@pytest.fixture
def found():
    """found(user, query) -> the corpus's references among the user's hits, sorted."""
    from rapport.search.service import search

    def run(user, query):
        return sorted(h.obj.ref for h in search(user, query, kinds=["commitment"]) if h.obj.ref.startswith("SRCH-"))

    return run
