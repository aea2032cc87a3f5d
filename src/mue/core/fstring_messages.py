"""Strings translated inside f-strings, listed here so that ``makemessages`` finds them.

``xgettext`` does not look inside f-strings: ``f"{_('Maturity')}: ..."`` is translated at run time,
but its msgid never reaches the catalogue, so it stays English in French. Until their modules
translate first and format after (docs/translation.md), the msgids are repeated here (it cannot live
under ``locale/``: makemessages skips that folder). Nothing imports this module;
``tests/test_i18n.py`` checks that every msgid used in an f-string is in the French catalogue. An
entry whose f-string is gone can simply be deleted.
"""

from django.utils.translation import gettext_noop as _

FSTRING_MESSAGES = (
    # cli/app.py (error prefix of `fail`): still inside an f-string there; delete once it formats after translating.
    _("error:"),
)
