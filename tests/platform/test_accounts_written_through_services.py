"""Section apps write the accounts app's tables only through its services
(architecture.md, "Dependencies point inward"): no section app creates,
updates or deletes rows of an accounts model with the ORM, or writes an
accounts table in raw SQL. The services hold the validation, the
de-duplication and the locking; a write past them skips all three."""

import ast
import re
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
SECTION_APPS = ("billing", "cashiering", "credit", "staffing", "alarms", "solidwaste", "portal")
WRITES = {
    "create",
    "bulk_create",
    "bulk_update",
    "update",
    "delete",
    "get_or_create",
    "update_or_create",
}
ACCOUNTS_MODELS = {model.__name__ for model in apps.get_app_config("accounts").get_models()}
SQL_WRITE = re.compile(r"\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+accounts_\w+", re.IGNORECASE)


def _accounts_names(tree: ast.AST) -> set[str]:
    """Local names bound to accounts models by ``from accounts.models... import``."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("accounts.models"):
            for alias in node.names:
                if alias.name in ACCOUNTS_MODELS:
                    names.add(alias.asname or alias.name)
    return names


def _model_of(node: ast.AST, names: set[str]) -> str | None:
    """The accounts model whose ``objects`` manager a call chain starts from."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Attribute):
            if node.attr == "objects":
                base = node.value
                if isinstance(base, ast.Name) and base.id in names:
                    return base.id
                # accounts.models.Account.objects
                if (
                    isinstance(base, ast.Attribute)
                    and base.attr in ACCOUNTS_MODELS
                    and ast.unparse(base.value).startswith("accounts.models")
                ):
                    return base.attr
            node = node.value
        else:
            return None


def _instance_writes(function: ast.AST, names: set[str]) -> list[tuple[int, str]]:
    """``x.save()`` / ``x.delete()`` in a function where ``x`` was read from
    an accounts model's manager (``x = Account.objects...get(...)``)."""
    read = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, model = node.targets[0], _model_of(node.value, names)
            if isinstance(target, ast.Name) and model:
                read[target.id] = model
    return [
        (node.lineno, f"{read[node.func.value.id]} row .{node.func.attr}()")
        for node in ast.walk(function)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("save", "delete")
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in read
    ]


def direct_writes(source: str, filename: str) -> list[str]:
    """``file:line: what`` for each write to an accounts model in ``source``."""
    tree = ast.parse(source, filename)
    names = _accounts_names(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES
        ):
            model = _model_of(node.func.value, names)
            if model:
                found.append((node.lineno, f"{model}.objects...{node.func.attr}()"))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found += _instance_writes(node, names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            for match in SQL_WRITE.finditer(node.value):
                found.append((node.lineno, f"raw SQL {match.group(0)!r}"))
    return [f"{filename}:{line}: {what}" for line, what in sorted(set(found))]


def test_the_scan_finds_writes_past_the_services():
    source = """
from accounts.models import Account, FieldActivity as FA
from accounts import models
from billing.models import Bill

def f(rows, pk):
    FA.objects.bulk_create(rows)
    Account.objects.filter(pk=pk).update(status="final")
    Account.objects.select_for_update().filter(pk=pk)[:1].delete()
    Bill.objects.create()
    Account.objects.filter(pk=pk).exists()
    run("UPDATE accounts_account SET status = 'closed'")

def g(pk):
    account = Account.objects.select_for_update().get(pk=pk)
    account.status = "final"
    account.save(update_fields=["status"])
    bill = Bill.objects.get(pk=pk)
    bill.save()
"""
    assert direct_writes(source, "x.py") == [
        "x.py:7: FA.objects...bulk_create()",
        "x.py:8: Account.objects...update()",
        "x.py:9: Account.objects...delete()",
        "x.py:12: raw SQL 'UPDATE accounts_account'",
        "x.py:17: Account row .save()",
    ]


def test_section_apps_write_accounts_models_only_through_accounts_services():
    found = []
    for app in SECTION_APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            found += direct_writes(path.read_text(), str(path.relative_to(ROOT)))
    assert found == [], "write these through an accounts service:\n" + "\n".join(found)
