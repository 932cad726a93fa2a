from __future__ import annotations

import pytest

from booklet.errors import BookletError
from booklet.source import help_contacts
from booklet.source.config import load_config
from booklet.source.help_contacts import region

from ..helpers import NO_DEFAULT_REGION


def numbers(code: str | None) -> list[str | None]:
    return [c.number for c in region(code).contacts]


def test_built_in_regions_list_the_right_numbers():
    assert numbers("US") == ["911", "988"]
    assert numbers("UK") == ["999", "116 123"]
    assert numbers("IE") == ["112 or 999", "116 123"]
    assert numbers(None) == [None]
    assert "local emergency number" in region(None).contacts[0].text


def test_988_is_call_or_text_and_samaritans_is_free():
    assert "Call or text 988" in region("US").contacts[1].text
    for code in ("UK", "IE"):
        samaritans = region(code).contacts[1]
        assert samaritans.name == "Samaritans" and "free" in samaritans.text


def test_codes_ignore_case_and_gb_means_uk():
    assert region("uk") is region("UK") is region("GB")


def test_a_clinic_can_bring_its_own_contacts_file(tmp_project):
    root = tmp_project({
        "booklet.toml": 'help_contacts = "contacts.toml"\nhelp_region = "NZ"\n',
        "contacts.toml": '[default]\nname = "Anywhere"\n[[default.contacts]]\n'
                         'name = "Emergency"\ntext = "Call your local emergency number."\n'
                         '[NZ]\nname = "Aotearoa New Zealand"\n[[NZ.contacts]]\nnumber = "111"\n'
                         'name = "Emergency services"\ntext = "Call 111."\n',
    })
    config = load_config(root / "booklet.toml")
    assert [c.number for c in config.help.contacts] == ["111"]


def test_a_broken_contacts_file_is_reported_with_lines(tmp_project):
    root = tmp_project({
        "booklet.toml": 'help_contacts = "contacts.toml"\n',
        "contacts.toml": '[default]\nname = "Anywhere"\n\n[[default.contacts]]\nnumbr = "1"\n'
                         'name = "Emergency"\n',
    })
    with pytest.raises(BookletError) as caught:
        load_config(root / "booklet.toml")
    assert [str(p) for p in caught.value.problems] == [
        "contacts.toml:4: a contact needs a 'text'",
        "contacts.toml:5: unknown key 'numbr' (did you mean 'number'?)",
    ]


def test_a_contacts_file_needs_a_default_region(tmp_project):
    root = tmp_project({"contacts.toml": '[US]\nname = "United States"\n'})
    with pytest.raises(BookletError) as caught:
        help_contacts.regions(root / "contacts.toml")
    assert str(caught.value).splitlines() == NO_DEFAULT_REGION


def test_the_example_of_a_default_region_is_a_whole_contacts_file(tmp_project):
    """What the message tells a clinic to write must itself be a valid file."""
    root = tmp_project({"contacts.toml": "\n".join(help_contacts.DEFAULT_EXAMPLE)})
    [contact] = help_contacts.region(None, root / "contacts.toml").contacts
    assert contact.name == "Emergency services" and contact.number is None
