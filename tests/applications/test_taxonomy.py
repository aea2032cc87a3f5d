from django.utils import translation

from mue.applications.models import Application


def test_category_labels_follow_the_language():
    field = Application._meta.get_field("category")
    labels = dict(field.flatchoices)
    with translation.override("fr"):
        assert str(labels["video-conferencing"]) == "Visioconférence"
    with translation.override("en"):
        assert str(labels["video-conferencing"]) == "Video conferencing"
