"""What an import reports when it rejects a file: every problem with its file, place and field."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


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
