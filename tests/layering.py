"""An import-linter contract type: the given packages form no import cycle.

import-linter's own contracts cannot say it for top-level packages: an
independence contract forbids every import between them (section apps do use
each other's services), a layers contract fixes an order nobody chose, and
acyclic_siblings wants a common parent package. This one allows any import
between the packages as long as no chain leads back.
"""

from __future__ import annotations

from itertools import combinations

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class AcyclicContract(Contract):
    type_name = "acyclic"

    modules = fields.ListField(subfield=fields.ModuleField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        names = [module.name for module in self.modules]  # type: ignore[attr-defined]
        cycles = []
        for first, second in combinations(names, 2):
            there = graph.find_shortest_chain(first, second, as_packages=True)
            back = graph.find_shortest_chain(second, first, as_packages=True)
            if there and back:
                cycles.append({"there": list(there), "back": list(back)})
        return ContractCheck(kept=not cycles, metadata={"cycles": cycles})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print_error(" -> ".join(cycle["there"]), bold=True)
            output.print_error("   and back: " + " -> ".join(cycle["back"]))
            output.new_line()
