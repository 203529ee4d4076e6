"""What is searchable: one source per kind of record, with the fields that feed
the title and the body of its index entry."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings


@dataclass(frozen=True)
class Source:
    kind: str
    model_label: str
    title_fields: tuple[str, ...]
    body_fields: tuple[str, ...]
    label: str
    # The record holds translations (core.translations): they are indexed with the original,
    # so a query in either language finds the record.
    translated: bool = False

    @property
    def model(self):
        return apps.get_model(self.model_label)


# A contribution's entry holds only its own text: a commitment's words must not
# make a contribution match for a reader who may not see that commitment.
SOURCES: tuple[Source, ...] = (
    Source("commitment", "commitments.Commitment", ("ref", "title"), ("text",), "Commitments"),
    Source("contribution", "contributions.Contribution", (), ("narrative",), "Contributions", translated=True),
    Source("meeting", "evidence.Meeting", ("title",), ("summary",), "Meetings", translated=True),
    Source("report", "reports.Report", ("title",), (), "Reports"),
    Source("highlight", "reports.Highlight", (), ("text",), "Report highlights", translated=True),
    Source("outlook", "reports.Outlook", (), ("text",), "Report outlook", translated=True),
    Source("text", "reports.ReportText", (), ("text",), "Report introduction and area texts", translated=True),
)
# The report's parts: read only inside a report the reader may read.
REPORT_PARTS = frozenset({"highlight", "outlook", "text"})

BY_KIND = {s.kind: s for s in SOURCES}


def translation_paths(source: Source) -> list[tuple[str, str]]:
    """(language, field) of every translation a record of this source may hold (a title's
    translation is indexed with the body, so it finds the record without outranking titles)."""
    if not source.translated:
        return []
    return [(code, name) for code, _name in settings.LANGUAGES for name in (*source.title_fields, *source.body_fields)]
