"""What an import reports when it rejects a file: every problem with its file, place and field."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from mue.core.inputs import InputRejected

#: A message longer than this is cut: a problem names what is wrong, it does not carry the input.
MAX_MESSAGE_CHARS = 1000


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in an input file.

    ``location`` is where a person finds it: "line 12" in YAML, "row 7" in a spreadsheet,
    "applications[3]" in JSON; ``field`` is the key or column ("status", "needs.availability").
    """

    file: str
    sort_key: tuple
    location: str
    field: str
    message: str

    def __post_init__(self) -> None:
        if len(self.message) > MAX_MESSAGE_CHARS:
            object.__setattr__(self, "message", self.message[:MAX_MESSAGE_CHARS - 1] + "…")

    def __str__(self) -> str:
        where = f"{self.file}, {self.location}" if self.location else self.file
        if self.field:
            return _("%(where)s, field '%(field)s': %(message)s") % {"where": where, "field": self.field,
                                                                   "message": self.message}
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"file": self.file, "location": self.location, "field": self.field, "message": self.message}


class ImportFailed(Exception):
    """The file was rejected; nothing was written. ``problems`` lists every reason found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s):\n" + "\n".join(str(p) for p in self.problems))


def rejected(source: str, exc: InputRejected, location_word: str = "line") -> ImportFailed:
    """The :class:`ImportFailed` of an input refused by :mod:`mue.core.inputs` (too big, too deep...)."""
    if exc.line:
        where = _("row %(row)s") % {"row": exc.line} if location_word == "row" else _("line %(n)s") % {"n": exc.line}
        return ImportFailed([Problem(source, (exc.line,), where, "", exc.message)])
    return ImportFailed([Problem(source, (0,), "", "", exc.message)])


def rows_text(rows: list[int]) -> str:
    """[2, 3, 4, 7] -> "rows 2-4, 7"."""
    spans: list[list[int]] = []
    for row in sorted(set(rows)):
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
    if len(rows) == 1:
        return _("row %(rows)s") % {"rows": text}
    return _("rows %(rows)s") % {"rows": text}
