"""Auto on 100 unknown ids: what it sends, and what the budget and the audit line count.

    .venv/bin/python -m bench.auto_budget [--ids 100]

Opens the dashboard's Lookup page in Streamlit's AppTest with a server token for an in-process
emulator (shared with anyone: AppTest has no network peer), looks ``--ids`` ids that no kind
knows up as *Auto*, and prints, for that one lookup: the requests the emulator received, the
units of the viewer's lookup budget it spent (read back from the process's budgets), and what
its audit line says (``ids``, and ``calls`` where the line has them).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from streamlit.testing.v1 import AppTest

from a2e.access.budgets import Budget, BudgetSettings
from a2e.core.kinds import KINDS
from a2e.sandbox import DEMO_TOKEN, Emulator
from a2e.ui.budget_notes import shared_budgets
from tests.apptest_support import ROOT, entry_point_navigation_remembered

PER_MINUTE = 100_000


def spent(app: AppTest) -> int:
    """Units of this session's lookup budget spent (a spend larger than the whole budget is
    refused, spends nothing, and says what is left)."""
    budgets = shared_budgets(BudgetSettings(lookups_per_minute=PER_MINUTE))
    viewer = app.session_state["_anonymous_viewer"]
    return PER_MINUTE - budgets.spend(viewer, Budget.LOOKUP, PER_MINUTE + 1).remaining


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ids", type=int, default=100)
    count = parser.parse_args().ids
    unknown = [f"{0xFEED00000000000000000000 + n:024x}" for n in range(count)]
    with Emulator() as emulator, tempfile.TemporaryDirectory() as folder:
        audit = Path(folder) / "audit.jsonl"
        os.environ |= {
            "A2E_BASE_URL": emulator.base_url,
            "A2E_API_TOKEN": DEMO_TOKEN,
            "A2E_SERVER_TOKEN_FOR": "anyone",
            "A2E_BUDGET_LOOKUPS_PER_MINUTE": str(PER_MINUTE),
            "A2E_AUDIT_LOG": str(audit),
        }
        with entry_point_navigation_remembered():
            app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()
            app.switch_page("pages/lookup.py").run()
            before, audit_lines = spent(app), len(audit.read_text().splitlines())
            emulator.clear_requests()
            app.selectbox(key="kind").set_value("auto")
            app.text_area(key="ids_text").input("\n".join(unknown))
            next(b for b in app.button if b.label == "Look up").click().run()
            charged = spent(app) - before
        lines = [json.loads(line) for line in audit.read_text().splitlines()[audit_lines:]]
        lookup = next(line for line in lines if line["kind"] == "lookup")
        print(f"Auto on {count} unknown ids, {len(KINDS)} kinds:")
        print(f"  requests the emulator received: {emulator.count_requests():6,}")
        print(f"  lookup budget charged:          {charged:6,}")
        calls = lookup.get("calls", "(no calls field)")
        print(f"  audit line:                     ids {lookup['ids']:,}, calls {calls}")


if __name__ == "__main__":
    main()
