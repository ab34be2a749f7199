"""The layering contracts (pyproject.toml [tool.importlinter]) hold, and the
project's own contract type for "no import cycle" can break."""

import subprocess
import sys
from pathlib import Path

import grimp

from tests.layering import AcyclicContract

ROOT = Path(__file__).resolve().parents[2]


def _graph(*imports):
    graph = grimp.ImportGraph()
    for importer, imported in imports:
        graph.add_module(importer.split(".")[0])
        graph.add_module(imported.split(".")[0])
        graph.add_import(importer=importer, imported=imported)
    return graph


def _contract(*modules):
    return AcyclicContract(
        name="no cycle", session_options={}, contract_options={"modules": list(modules)}
    )


def test_a_chain_back_through_a_third_package_is_a_broken_cycle():
    graph = _graph(
        ("billing.services.final", "credit.services.settle"),
        ("credit.services.settle", "cashiering.services.refunds"),
        ("cashiering.services.payments", "billing.models"),
    )
    check = _contract("billing", "cashiering", "credit").check(graph, verbose=False)
    assert not check.kept
    assert {tuple(c["there"][:1]) + tuple(c["back"][:1]) for c in check.metadata["cycles"]} >= {
        ("billing.services.final", "cashiering.services.payments")
    }


def test_imports_one_way_only_keep_the_contract():
    graph = _graph(
        ("credit.services.disconnects", "billing.models"),
        ("credit.services.settle", "cashiering.services.refunds"),
        ("billing.services.settlement", "cashiering.services.refunds"),
    )
    assert _contract("billing", "cashiering", "credit").check(graph, verbose=False).kept


def test_the_projects_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout
