"""The DigComp 2.2 data shipped with Mue: complete, bilingual, with its source and licence."""

from django.utils import translation

from mue.skills.digcomp import DATA_FILE, framework


def test_five_areas_twenty_one_competences_eight_levels():
    fw = framework()
    assert [a.code for a in fw.areas] == ["1", "2", "3", "4", "5"]
    assert [len(a.competences) for a in fw.areas] == [3, 6, 4, 4, 4]
    assert len(fw.competences) == 21 and len({c.code for c in fw.competences}) == 21
    assert [lv.level for lv in fw.levels] == list(range(1, 9))
    assert all(c.code.startswith(c.area + ".") for c in fw.competences)


def test_exact_english_titles_and_french_texts():
    fw = framework()
    assert fw.area("4").title.en == "Safety"
    assert fw.competence("5.4").title.en == "Identifying digital competence gaps"
    assert fw.competence("2.5").title.en == "Netiquette"
    with translation.override("fr"):
        assert str(fw.competence("4.2").title) == "Protéger les données personnelles et la vie privée"
        assert str(fw.area("5").title) == "Résolution de problèmes"
    for item in (*fw.areas, *fw.competences, *fw.levels):
        assert item.title.en and item.title.fr and item.title.en != item.title.fr or item.title.en == "Netiquette"


def test_source_and_licence_are_stated():
    fw = framework()
    assert fw.licence == "CC-BY-4.0" and "10.2760/115376" in fw.source
    text = DATA_FILE.read_text(encoding="utf-8")
    assert "Commission's reuse policy" in text and "e-CF" in text and "CEN" in text
