"""Migrations never import live code, and what they install is still what the
live modules ship.

A migration runs again on every fresh database, years after it was written,
so it carries its own copy of the data it installs. (a) No migration imports
a project module. (b) The reference rows the migrations installed on the test
database (built by running them) equal what the live install functions
produce, so a change to the chart, a letter, a ladder or a tender source
without a migration that installs it is noticed here.
"""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = frozenset(path.parent.name for path in ROOT.glob("*/__init__.py"))
# Besides the standard library and their own app's migrations, migrations may
# use Django and the trigger libraries whose operations they contain.
ALLOWED_PACKAGES = frozenset({"django", "pgtrigger", "pghistory"})
# The one way a migration may name project code: a model field's validator or
# database default, which Django's autodetector writes by import path and
# compares by identity with the model's, so a copy would not do. A validator
# changes nothing a migration writes.
DEFAULT_KEYWORDS = frozenset({"default", "db_default"})


def migration_files() -> list[Path]:
    return sorted(
        path
        for path in ROOT.glob("*/migrations/*.py")
        if path.name != "__init__.py" and path.parts[-3] in PROJECT_PACKAGES
    )


def _is_field_reference(name: ast.Name, parents: dict[ast.AST, ast.AST]) -> bool:
    """Is ``name`` the root of ``pkg.module.attr`` (or ``pkg.module.Attr()``)
    given as a field's validator or default?"""
    node: ast.AST = name
    while isinstance(parents.get(node), ast.Attribute):
        node = parents[node]
    if node is name:
        return False  # the bare package, not one of its attributes
    parent = parents.get(node)
    if isinstance(parent, ast.Call) and parent.func is node:
        node, parent = parent, parents.get(parent)
    if isinstance(parent, ast.keyword):
        return parent.arg in DEFAULT_KEYWORDS
    if isinstance(parent, ast.List | ast.Tuple):
        keyword = parents.get(parent)
        return isinstance(keyword, ast.keyword) and keyword.arg == "validators"
    return False


def forbidden_imports(source: str, app_label: str) -> list[str]:
    """What a migration of ``app_label`` imports that it may not, with lines."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    own_migrations = f"{app_label}.migrations"
    problems = []
    field_reference_names: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                continue  # a sibling module of the app's own migrations
            modules = [("." * node.level) + (node.module or "")]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        for module in modules:
            root = module.split(".")[0]
            if module == own_migrations or module.startswith(own_migrations + "."):
                continue
            if root in ALLOWED_PACKAGES or root in sys.stdlib_module_names:
                continue
            if root in PROJECT_PACKAGES and isinstance(node, ast.Import):
                # Allowed only as field references; checked at each use below.
                for alias in node.names:
                    field_reference_names[alias.asname or alias.name.split(".")[0]] = node.lineno
                continue
            kind = "project module" if root in PROJECT_PACKAGES else "module"
            problems.append(f"line {node.lineno}: imports {kind} {module}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Name)
            and node.id in field_reference_names
            and not _is_field_reference(node, parents)
        ):
            problems.append(
                f"line {node.lineno}: uses {node.id} (imported on line "
                f"{field_reference_names[node.id]}) for more than a field's validator or default"
            )
    return problems


def test_every_app_has_its_migrations_checked():
    checked = {path.parts[-3] for path in migration_files()}
    assert {"accounts", "billing", "cashiering", "credit", "mesa_cs", "staffing"} <= checked


@pytest.mark.parametrize(
    "path", migration_files(), ids=lambda path: f"{path.parts[-3]}/{path.stem}"
)
def test_migration_imports_no_live_code(path):
    assert forbidden_imports(path.read_text(), path.parts[-3]) == []


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("from accounts.rules.chart import standard_chart\n", "imports project module"),
        ("import credit.rules.ladders\nSTEPS = credit.rules.ladders.STEPS\n", "uses credit"),
        ("def run(apps, editor):\n    from mesa_cs.lib.roles import Role\n", "imports project"),
        ("from billing.migrations.helpers import CYCLES\n", "imports project module"),
        ("import yaml\n", "imports module yaml"),
    ],
)
def test_a_migration_importing_live_code_is_caught(source, found):
    problems = forbidden_imports(source, "accounts")
    assert len(problems) == 1 and found in problems[0]


def test_field_validators_and_defaults_may_name_project_code():
    source = (
        "import accounts.models.ledger\nimport accounts.validators\n"
        "from django.db import models\n"
        "phone = models.CharField(validators=[accounts.validators.validate_phone])\n"
        "posted = models.DateTimeField(db_default=accounts.models.ledger.TransactionStart())\n"
        "from . import _helpers\nfrom accounts.migrations._helpers import X\n"
    )
    assert forbidden_imports(source, "accounts") == []


# --- (b) The rows the migrations installed are the live modules' ----------


def rows(queryset, *related: str) -> list[tuple]:
    """Every row of ``queryset`` by its own values (and ``related`` lookups),
    without its id, foreign keys or timestamps (when it was written is not
    what it says), in a stable order."""
    fields = [
        field.attname
        for field in queryset.model._meta.concrete_fields
        if not field.primary_key
        and not field.is_relation
        and field.get_internal_type() != "DateTimeField"
    ]
    return sorted(queryset.values_list(*fields, *related), key=repr)


def installed_and_live(model, install, *related: str) -> tuple[list[tuple], list[tuple]]:
    """The migrations' rows, then those the live install gives an empty table
    (the test's transaction is rolled back)."""
    installed = rows(model.objects.all(), *related)
    model.objects.all().delete()
    install()
    return installed, rows(model.objects.all(), *related)


def chart_of_accounts():
    from accounts.models import GLAccount
    from accounts.rules.chart import install_standard_chart

    return installed_and_live(GLAccount, lambda: install_standard_chart(GLAccount))


@pytest.mark.django_db
def test_chart_of_accounts_is_the_live_chart():
    from accounts.rules.chart import standard_chart

    installed, live = chart_of_accounts()
    assert installed == live
    assert len(installed) == len(standard_chart())


@pytest.mark.django_db
def test_an_edit_of_the_live_chart_without_a_migration_is_noticed(monkeypatch):
    from accounts.rules import chart

    monkeypatch.setitem(chart.SCHEDULES, "water", [*chart.SCHEDULES["water"], "W4.1"])
    installed, live = chart_of_accounts()
    assert set(live) - set(installed) == {
        ("4303", "Water revenue, W4.1", "revenue", "water", "W4.1", True)
    }


@pytest.mark.django_db
def test_letter_templates_are_the_live_wording_in_both_languages():
    from accounts.models import LetterTemplate
    from accounts.rules.letter_texts import (
        DEFAULT_TEMPLATES,
        DEFAULT_TEMPLATES_ES,
        install_default_templates,
    )

    installed, live = installed_and_live(
        LetterTemplate, lambda: install_default_templates(LetterTemplate)
    )
    assert installed == live
    assert {template.kind: template.body_es for template in LetterTemplate.objects.all()} == {
        kind: body for kind, (_, body) in DEFAULT_TEMPLATES_ES.items()
    }
    assert len(installed) == len(DEFAULT_TEMPLATES)


@pytest.mark.django_db
def test_collection_ladders_are_the_shipped_ladders():
    from credit.models import CollectionLadder, LadderStep
    from credit.rules.ladders import LADDERS, STEPS, install_default_ladders

    installed_steps = rows(LadderStep.objects.all(), "ladder__customer_class")
    LadderStep.objects.all().delete()
    installed, live = installed_and_live(
        CollectionLadder, lambda: install_default_ladders(CollectionLadder, LadderStep)
    )
    assert installed == live
    assert installed_steps == rows(LadderStep.objects.all(), "ladder__customer_class")
    assert len(installed_steps) == len(LADDERS) * len(STEPS)
    assert LadderStep.objects.exclude(notice_text="").filter(notice_text_es="").count() == 0


@pytest.mark.django_db
def test_tender_sources_are_the_shipped_sources():
    from cashiering.models import TenderSource
    from cashiering.rules.sources import SOURCES, install_sources

    installed, live = installed_and_live(TenderSource, lambda: install_sources(TenderSource))
    assert installed == live
    assert len(installed) == len(SOURCES)


@pytest.mark.django_db
def test_role_groups_hold_the_permissions_the_roles_module_gives():
    from django.contrib.auth.models import Group, Permission

    from mesa_cs.lib.roles import Role, sync_role_permissions

    def groups():
        return {
            group.name: sorted(group.permissions.values_list("content_type__app_label", "codename"))
            for group in Group.objects.all()
        }

    installed = groups()
    Group.objects.all().delete()
    sync_role_permissions(Group, Permission)
    assert installed == groups()
    assert set(installed) == {role.value for role in Role}
    assert len(installed[Role.ADMINISTRATOR]) == Permission.objects.count()


@pytest.mark.django_db
def test_bill_cycles_are_the_calendar_cycles():
    from billing.models import BillCycle
    from billing.rules.cycles import CYCLES

    assert list(BillCycle.objects.order_by("number").values_list("number", flat=True)) == list(
        range(1, CYCLES + 1)
    )
