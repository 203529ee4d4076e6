"""What free text Rapport accepts (rapport.core.text): the same rule for every service."""

import pytest

from rapport.core.errors import InputError
from rapport.core.text import clean_text, paragraphs


@pytest.mark.parametrize("bad", ["\x00", "\x1b", "\x7f", "\x85", "\ud800", "\ufffe", "\uffff", "\ufdd0"])
def test_control_characters_and_noncharacters_are_refused_naming_the_field(bad):
    with pytest.raises(InputError) as refused:
        clean_text(f"before{bad}after", field="narrative")
    assert refused.value.field == "narrative" and f"U+{ord(bad):04X}" in str(refused.value)


def test_line_ends_are_one_kind_and_tabs_and_unicode_stay():
    assert clean_text("  a\r\nb\rc\td – é 東京 \u2060 ", field="x") == "a\nb\nc\td – é 東京 \u2060"


def test_required_text_and_length():
    with pytest.raises(InputError, match="say why"):
        clean_text(" \r\n ", field="message", required=True, missing="say why")
    with pytest.raises(InputError, match="at most 5"):
        clean_text("123456", field="x", max_length=5)


def test_paragraphs_are_separated_by_blank_lines_as_a_browser_sends_them():
    assert paragraphs("One\r\nstill one.\r\n\r\nTwo.\r\n \r\n\r\nThree.") == ["One still one.", "Two.", "Three."]
    assert paragraphs("   ") == []


@pytest.mark.parametrize("bad", ["\u202e", "\u202a", "\u2066", "\u2069"])
def test_bidirectional_overrides_are_refused(bad):
    """They make a text display otherwise than it reads, in every output."""
    with pytest.raises(InputError, match=f"U\\+{ord(bad):04X}"):
        clean_text(f"pay {bad}tnuocca{bad} now", field="narrative")


@pytest.mark.parametrize("invisible", ["\ufeff", "\u200b\u200b", "\u2060 \u00ad", " \u200d "])
def test_a_text_of_invisible_characters_is_empty(invisible):
    with pytest.raises(InputError, match="write the narrative"):
        clean_text(invisible, field="narrative", required=True, what="the narrative")
