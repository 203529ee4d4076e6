"""Base model mixins shared by every app.

Partnership content inherits ``rapport.markings.models.MarkedModel``; this module
holds the features that are not about markings.
"""

from django.db import models


class SourcedModel(models.Model):
    """Content loaded from public material keeps the addresses it came from."""

    sources = models.JSONField(default=list, blank=True)

    class Meta:
        abstract = True
