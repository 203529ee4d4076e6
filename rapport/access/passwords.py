"""Rapport's password validators, beside Django's (length 12, common passwords, all digits,
like the username): no reuse of the last N, not one short piece repeated, not leaning on the
installation's own names. None asks for kinds of characters.

``PasswordHistoryValidator.validate`` compares the new password with the current hash and the
N-1 before it; ``password_changed`` (Django calls it after every save that set a password)
keeps the new hash and forgets the ones beyond N.
"""

from __future__ import annotations

import re

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class PasswordHistoryValidator:
    def __init__(self, remembered: int = 5):
        self.remembered = max(int(remembered), 1)

    def _earlier(self, user) -> list[str]:
        from .models import PasswordHistory

        if user is None or user.pk is None:
            return []
        return list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.remembered])

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        from .models import User

        current = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        if any(check_password(password, h) for h in [current, *self._earlier(user)] if h):
            raise ValidationError(
                ngettext("Choose a password you have not used before (the last %(n)s is remembered).",
                         "Choose a password you have not used before (the last %(n)s are remembered).",
                         self.remembered) % {"n": self.remembered},
                code="password_reused")

    def password_changed(self, password, user=None):
        from .models import PasswordHistory

        if user is None or user.pk is None or not user.has_usable_password():
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        keep = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[: self.remembered]
        PasswordHistory.objects.filter(user=user).exclude(pk__in=list(keep)).delete()

    def get_help_text(self):
        return ngettext("Your password cannot be your last password.",
                        "Your password cannot be one of your last %(n)s passwords.", self.remembered) % {"n": self.remembered}


class RepetitionValidator:
    """Refuses a password whose length comes from repeating rather than from choosing: long enough
    to pass the length rule, but among the first guesses. Two rules, neither about kinds of
    characters (ASVS 6.2: composition rules are not asked for):

    * **one piece said over and over**: any piece shorter than ``min_length``, repeated to fill the
      password, the last time perhaps cut short ('aaaaaaaaaaaa', 'abcabcabcabc',
      'abcdeabcdeab', 'Summer2026!Summer2026!');
    * **too few characters of its own**: a character that repeats the one before it, or carries
      on a run of neighbours ('abcd', '4321'), adds nothing; fewer than ``min_counted`` left is
      refused ('aaaaaaaaaaab', 'abcdefghijkl', 'aaaa1111bbbb').
    """

    def __init__(self, min_length: int = 12, min_counted: int = 8):
        self.min_length, self.min_counted = min_length, min_counted

    @staticmethod
    def repeated_piece(password: str, shorter_than: int) -> str | None:
        for unit in range(1, min(shorter_than, len(password) // 2 + 1)):
            piece = password[:unit]
            if (piece * (len(password) // unit + 1))[: len(password)] == password:
                return piece
        return None

    @staticmethod
    def counted(password: str) -> int:
        """The characters that do not follow from the ones before them."""
        count = 0
        for i, char in enumerate(password):
            if i and char == password[i - 1]:
                continue
            if i >= 2 and abs(ord(char) - ord(password[i - 1])) == 1 and (
                    ord(char) - ord(password[i - 1]) == ord(password[i - 1]) - ord(password[i - 2])):
                continue
            count += 1
        return count

    def validate(self, password, user=None):
        password = str(password)
        if len(password) >= 2 and self.repeated_piece(password, self.min_length) is not None:
            raise ValidationError(_("Choose a password that is not one short piece repeated."), code="password_repeated")
        if self.counted(password) < self.min_counted:
            raise ValidationError(
                _("Choose a password with at least %(n)s characters of its own: a character repeating the one "
                  "before it, or carrying on a run such as abcd or 4321, does not count.") % {"n": self.min_counted},
                code="password_runs")

    def get_help_text(self):
        return (_("Your password cannot be one short piece repeated, and needs at least %(n)s characters that do "
                  "not just repeat or carry on a run.") % {"n": self.min_counted})


# Words anyone would try first against this installation (ASVS 6.1.2): its own name and what
# passwords are called, plus the organisations' and partnerships' names, read from the database.
CONTEXT_WORDS = ("rapport", "password", "passwort", "motdepasse", "partnership", "welcome", "secret")


def context_words() -> set[str]:
    from rapport.partnerships.models import Organisation, Partnership

    words = set(CONTEXT_WORDS)
    for values in (Organisation.objects.values_list("key", "short_name", "name"),
                   Partnership.objects.values_list("key", "name")):
        for row in values:
            for value in row:
                words.update(w for w in re.split(r"[^a-z0-9]+", str(value).lower()) if len(w) >= 3)
    for names in Organisation.objects.values_list("translations", flat=True):  # the names in other languages
        for value in (v for found in (names or {}).values() if isinstance(found, dict) for v in found.values()):
            words.update(w for w in re.split(r"[^a-z0-9]+", str(value).lower()) if len(w) >= 3)
    return words


class ContextWordsValidator:
    """Refuses a password that is mostly words of this installation ('Rapport2026!', 'nato-eu-2026'):
    with those words taken out, what is left must still be at least ``min_length`` characters."""

    def __init__(self, min_length: int = 12):
        self.min_length = min_length

    def validate(self, password, user=None):
        rest = str(password).lower()
        for word in sorted(context_words(), key=len, reverse=True):
            rest = rest.replace(word, "")
        if len(rest) < self.min_length:
            raise ValidationError(
                _("Choose a password that does not lean on the names of Rapport, the organisations or the "
                  "partnership: without them it must still be %(n)s characters long.") % {"n": self.min_length},
                code="password_context_words")

    def get_help_text(self):
        return _("Names of Rapport, the organisations and the partnership do not count towards the length.")
