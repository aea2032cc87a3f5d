"""Every ``mue`` command example of README.md and docs/ is run, in order, against the demo workspaces.

An example is a line of a fenced code block that starts with ``mue`` (or ``$ mue``); a line ending
with ``\\`` goes on on the next one, ``# ...`` is a comment. Synopses with placeholders (``WORKSPACE``,
``FILE``, ``[--json]``, ``...``) are not examples. Each example runs in one scratch directory shared by
the examples of its page (a template written by one is imported by the next) and must succeed; when
it names an input file that only the reader has (a client's spreadsheet, a proxy log), it must stop on
that file with "not found", which still proves the rest of the line is valid.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from mue.cli.app import ExitCode
from mue.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
# Generated pages and measurements hold no examples to run.
PAGES = [ROOT / "README.md", *sorted(p for p in (ROOT / "docs").glob("*.md")
                                     if p.name not in ("benchmarks.md", "data-model.md", "rules.md"))]
# WORKSPACE, FILE, [--json], ..., <slug>, a shell variable; not a rule id (DOC-004) or a quoted value.
PLACEHOLDER = re.compile(r"\b[A-Z][A-Z_]{2,}\b(?!-)|\[|\.\.\.|…|<|\$")
QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
# Examples that would start a server or change what other examples read.
NOT_RUN = re.compile(r"^mue (serve|setup)\b")


def examples(page: Path) -> list[str]:
    found, in_code, pending = [], False, ""
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            in_code, pending = not in_code, ""
            continue
        if not in_code:
            continue
        text = pending + line.strip()
        pending = ""
        if text.endswith("\\"):
            pending = text[:-1] + " "
            continue
        text = re.sub(r"^\$ ", "", text)
        text = re.sub(r"\s+#\s.*$", "", text).strip()
        if text.startswith("mue ") and "$" not in text and not PLACEHOLDER.search(QUOTED.sub("", text)):
            found.append(text)
    return found


ALL = [(page.relative_to(ROOT).as_posix(), command) for page in PAGES for command in examples(page)]


def test_the_docs_hold_examples_of_the_main_commands():
    commands = {command.split()[1] for _page, command in ALL}
    assert {"audit", "import", "discover", "impact", "export", "template", "lineage", "init"} <= commands
    assert ("docs/deployment.md", "mue discover -w valmont /var/log/squid/access.log") in ALL


@pytest.fixture(scope="module")
def demo_instance(django_db_setup, django_db_blocker):
    from mue.core.models import Workspace
    from mue.demo import DEMOS, load_demo

    with django_db_blocker.unblock():
        for name in DEMOS:
            load_demo(name, replace=True)
        yield
        Workspace.objects.filter(slug__in=[*DEMOS, "acme"]).delete()


def _input_files(args: list[str]) -> list[str]:
    """Arguments that name input files (by their extension), skipping the values of output options."""
    inputs, skip = [], False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg in ("-o", "--output", "--json", "--html", "--svg", "--markdown", "--mermaid", "--graphml", "--drawio"):
            skip = True
            continue
        if re.search(r"\.(ya?ml|json|csv|xlsx|log|gz|xml|sql|\d)$", arg) and not arg.startswith("-"):
            inputs.append(arg)
    return inputs


@pytest.mark.parametrize("page", sorted({page for page, _command in ALL}))
def test_every_command_example_runs(page, demo_instance, db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for command in [c for p, c in ALL if p == page]:
        if NOT_RUN.match(command):
            continue
        # Where a page writes to the server's directories (/srv/..., /backup/...), write in the scratch one.
        args = [str(tmp_path / a.lstrip("/")) if a.startswith(("/srv/", "/backup/")) else a
                for a in shlex.split(command)[1:]]
        for arg in args:
            if arg.startswith(str(tmp_path)):
                Path(arg).parent.mkdir(parents=True, exist_ok=True)
        missing = [f for f in _input_files(args) if not Path(f).exists()]
        result = runner.invoke(app, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), (command, result.exception)
        if missing:
            assert result.exit_code == ExitCode.NOT_FOUND and missing[0] in result.output, (command, result.output)
        else:
            expected = (0, ExitCode.FAILURE) if "--fail-on" in args or args[0] == "check" else (0,)
            if "--compare" in args:  # run ids differ from one instance to another
                expected = (0, ExitCode.NOT_FOUND)
            assert result.exit_code in expected, (command, result.output)


def test_the_readme_map_names_objects_the_demo_has():
    """The README's map excerpt is Valmont's: each object and reference it names exists in the demo."""
    from mue.core.registry import registry

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Map as code.*?```yaml\n(.*?)```", text, re.S).group(1)
    excerpt = yaml.safe_load(block)
    demo = yaml.safe_load((ROOT / "src" / "mue" / "demo" / "valmont.yaml").read_text(encoding="utf-8"))
    assert excerpt["workspace"]["slug"] == demo["workspace"]["slug"]
    for key, items in excerpt.items():
        if key in ("workspace", "flows"):
            continue
        registry.lookup(key)  # a real type
        slugs = {item["slug"] for item in demo[key]}
        for item in items:
            assert item["slug"] in slugs, (key, item["slug"])
    applications = {a["slug"] for a in demo["applications"]}
    for service in excerpt.get("services", []):
        assert set(service.get("applications", [])) <= applications
    for flow in excerpt.get("flows", []):
        demo_flows = {(f["from"], f["to"]) for f in demo["flows"]}
        assert (flow["from"], flow["to"]) in demo_flows, flow
