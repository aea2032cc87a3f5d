"""The selects rendered in Python write the HTML Django's templates write."""

from __future__ import annotations

import re

import pytest
from django import forms

from mue.web.widgets import NullBooleanSelect, Select, SelectMultiple


def _normalized(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


CHOICES = [("approved", "Approved"), ("a&b", "Tom & <Jerry>"), ("Group", [("x", "X \"quoted\""), ("y", "Y")])]


@pytest.mark.parametrize(("fast", "plain", "value"), [
    (Select, forms.Select, "a&b"),
    (SelectMultiple, forms.SelectMultiple, ["approved", "y"]),
    (SelectMultiple, forms.SelectMultiple, []),
])
def test_a_select_renders_as_djangos(fast, plain, value):
    attrs = {"class": "form-select", "data-mue-enhance": "", "aria-label": "Statut \"SI\""}
    ours = fast(attrs=attrs, choices=CHOICES).render("status", value, attrs={"id": "id_status"})
    theirs = plain(attrs=attrs, choices=CHOICES).render("status", value, attrs={"id": "id_status"})
    assert _normalized(ours) == _normalized(theirs)
    assert "selected" in ours if value else "selected" not in ours


def test_a_yes_no_select_renders_as_djangos():
    for value in (None, True, False):
        ours = NullBooleanSelect(attrs={"class": "form-select"}).render("sso", value)
        theirs = forms.NullBooleanSelect(attrs={"class": "form-select"}).render("sso", value)
        assert _normalized(ours) == _normalized(theirs)


def test_choice_labels_are_kept_once_and_speak_each_requests_language():
    from django.utils import translation

    from mue.applications.choices import ApplicationStatus
    from mue.applications.models import Application
    from mue.web.spec import choice_labels, display_value

    field = Application._meta.get_field("status")
    assert choice_labels(field) is choice_labels(field)  # built once per field
    with translation.override("en"):
        english = display_value(field, "approved")
    with translation.override("fr"):
        french = display_value(field, "approved")
        assert french == str(ApplicationStatus.APPROVED.label)
    assert english == "Approved" and french != english
    assert display_value(field, "unknown-value") == "unknown-value"
