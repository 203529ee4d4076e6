"""Classification schemes, their levels, and the marking every content record carries.

Equivalence between schemes is by ``rank``: levels of different schemes with the
same rank are equivalent (NATO RESTRICTED ≡ RESTREINT UE/EU RESTRICTED). Rank 0
is PUBLIC in every scheme and is the lowest.
"""

from __future__ import annotations

import uuid

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy

from .querysets import PUBLIC_RANK, MarkedQuerySet

OID = RegexValidator(r"^[0-2](\.(0|[1-9][0-9]*))+$", gettext_lazy("an object identifier in dotted digits, e.g. 1.3.26.1.3.1"))


class ClassificationScheme(models.Model):
    key = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    # The security policy the scheme is, as STANAG 4774 labels and XML SPIFs name it.
    policy_name = models.CharField(
        max_length=256, blank=True, help_text=gettext_lazy("The policy's name in labels and SPIFs (e.g. NATO); the key in "
                                              "capitals when empty."))
    policy_id = models.CharField(
        max_length=200, blank=True, validators=[OID],
        help_text=gettext_lazy("The policy's object identifier (e.g. 1.3.26.1.3.1); one under the UUID arc 2.25 is made "
                  "from the key when empty."))

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name

    @property
    def policy(self) -> str:
        """The policy's name as labels print it."""
        return self.policy_name or self.key.upper()

    @property
    def policy_oid(self) -> str:
        """The policy's object identifier; without one set, a stable one of the project's own under
        2.25 (an OID made from a UUID, ITU-T X.667), so it can never clash with a real policy's."""
        return self.policy_id or derived_oid("scheme", self.key)


class ClassificationLevel(models.Model):
    scheme = models.ForeignKey(ClassificationScheme, on_delete=models.CASCADE, related_name="levels")
    rank = models.PositiveSmallIntegerField(help_text=gettext_lazy("Common rank: equal ranks are equivalent across schemes; 0 is PUBLIC."))
    name = models.CharField(max_length=100)
    abbreviation = models.CharField(max_length=20)

    class Meta:
        ordering = ["scheme__key", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "rank"], name="level_unique_rank_per_scheme"),
            models.UniqueConstraint(fields=["scheme", "name"], name="level_unique_name_per_scheme"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.rank == PUBLIC_RANK

    def banner(self, language: str | None = None) -> str:
        """The level's banner text (page top and bottom) in ``language`` (by default the active
        one), as the scheme gives it; the level's name where it gives none."""
        found = self._marking_in(language)
        return found.banner if found is not None else self.name

    def portion(self, language: str | None = None) -> str:
        """The level's portion marking in ``language``; PUBLIC is always "PUBLIC", and the
        abbreviation stands where the scheme gives no form in that language."""
        if self.rank == PUBLIC_RANK:
            return "PUBLIC"
        found = self._marking_in(language)
        return found.portion if found is not None else self.abbreviation

    def _marking_in(self, language: str | None):
        code = marking_language(language)
        # Read through ``markings.all()``, so a prefetch (``LEVEL_MARKINGS``) serves every level.
        return next((m for m in self.markings.all() if m.language == code), None)


# Prefetch this with levels whose marking texts are shown: ``levels.prefetch_related(LEVEL_MARKINGS)``.
LEVEL_MARKINGS = "markings"
LANGUAGE = RegexValidator(r"^[a-z]{2,3}$", gettext_lazy("a language code of two or three small letters (ISO 639), e.g. fr"))


def marking_language(language: str | None = None) -> str:
    """The base language code a marking is looked up in: ``language`` or the active one
    ("fr-be" → "fr"), English when none is active."""
    from django.utils import translation

    code = (language or translation.get_language() or "en").lower()
    return code.replace("_", "-").split("-")[0]


class LevelMarking(models.Model):
    """A level's marking texts in one language, as an XML SPIF gives them per language
    (``markingData`` with ``xml:lang``): the banner printed at page top and bottom and the
    portion marking. The level's name and abbreviation stand for every language without one."""

    level = models.ForeignKey(ClassificationLevel, on_delete=models.CASCADE, related_name="markings")
    language = models.CharField(max_length=3, validators=[LANGUAGE], help_text=gettext_lazy("ISO 639 code, e.g. fr."))
    banner = models.CharField(max_length=100, help_text=gettext_lazy("The text at page top and bottom, e.g. NATO DIFFUSION RESTREINTE."))
    portion = models.CharField(max_length=20, help_text=gettext_lazy("The portion marking, e.g. NR."))
    source = models.CharField(max_length=300, blank=True, help_text=gettext_lazy("Where this form comes from."))

    class Meta:
        ordering = ["level", "language"]
        constraints = [models.UniqueConstraint(fields=["level", "language"], name="level_marking_unique_language")]

    def __str__(self) -> str:
        return f"{self.banner} ({self.language})"


class MarkedModel(models.Model):
    """Partnership content: a classification level plus the organisations it is releasable to.

    PUBLIC content is releasable to everyone. For any other level an empty
    ``releasable_to`` means nobody may read it, so loaders and services refuse
    a non-public marking without at least one organisation.
    """

    classification = models.ForeignKey(
        ClassificationLevel, on_delete=models.PROTECT, related_name="+", help_text=gettext_lazy("Marking of this record.")
    )
    releasable_to = models.ManyToManyField(
        "partnerships.Organisation", related_name="+", blank=True,
        help_text=gettext_lazy("Organisations whose staff may read this record (ignored for PUBLIC)."),
    )

    objects = MarkedQuerySet.as_manager()

    class Meta:
        abstract = True

    # Per-model narrowing of who may read, on top of the marking (e.g. drafts stay
    # inside their organisation). Returns a Q; see markings/querysets.py.
    @classmethod
    def extra_visibility(cls, user, orgs):
        return models.Q()

    # What "published" means for the public, signed-out reader.
    @classmethod
    def publication_filter(cls):
        return models.Q()


def stricter(a: ClassificationLevel, b: ClassificationLevel | None) -> ClassificationLevel:
    """The higher of two levels (the first on a tie)."""
    return a if b is None or a.rank >= b.rank else b


def internal_level(scheme_id: int) -> ClassificationLevel | None:
    """The lowest non-public level of a scheme: what an organisation's internal records carry."""
    return ClassificationLevel.objects.filter(scheme_id=scheme_id, rank__gt=PUBLIC_RANK).order_by("rank").first()


def derived_oid(*parts: str) -> str:
    """An object identifier under 2.25 made from a name-based UUID of ``parts`` (stable)."""
    return f"2.25.{uuid.uuid5(uuid.NAMESPACE_URL, 'urn:rapport:' + ':'.join(parts)).int}"
