"""Hostile-file fuzz (issue 18): hypothesis damages a meeting file of the sample workspace the
way a hand edit, a bad disk or a hostile member of a shared group could (wrong types, huge
numbers, deep nesting, bad ids, control characters, bidi overrides, missing fields,
non-JSON numbers, truncation), then runs the real commands on it in a subprocess with a timeout.

Every command must either work or fail with one-line errors: no traceback, no hang, and no
write to a file holding a record that does not decode (compared byte for byte). A file that
still decodes may be saved, but what is saved must be valid JSON again.

Each example starts one subprocess that runs every command through the real entry point
(``facilitate.cli.main``, as the ``facilitate`` script does) with its own captured output: a
process per command would cost minutes of CI time for the same coverage.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitate.storage.damage import damaged_records
from facilitate.storage.errors import StorageError
from facilitate.storage.workspace import MEETING_TABLES, Workspace

MEETINGS = ["mtg-2026-11", "mtg-2026-12"]  # held (actions, decisions, votes...) and planned
# Modest for CI (one subprocess per example); FACILITATE_FUZZ_EXAMPLES=300 for a longer hunt.
EXAMPLES = int(os.environ.get("FACILITATE_FUZZ_EXAMPLES", "40"))
RAN: list[int] = []

DRIVER = r"""
import contextlib, io, json, sys, traceback
from facilitate.cli import main

results = []
for argv in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    crash = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            code, crash = None, traceback.format_exc()
    results.append({"argv": argv, "code": code, "out": out.getvalue()[-2000:],
                    "err": err.getvalue()[-4000:], "crash": crash})
print(json.dumps(results))
"""


def commands(data: str, meeting: str) -> list[list[str]]:
    base = ["--data", data]
    return [
        [*base, "check"],
        [*base, "meetings"],
        [*base, "actions", "--all"],
        [*base, "search", "referral"],
        [*base, "agenda", "show", meeting],
        [*base, "minutes", meeting],
        [*base, "agenda", "proposals", meeting],
        [*base, "agenda", "submit", meeting, "Shelter beds", "--minutes", "5", "--by", "Ana Ruiz"],
        [*base, "minutes", "approve", meeting],
    ]


# --- what a damaged file can hold ------------------------------------------------------------

HOSTILE_TEXT = [
    "",
    " ",
    "Budget\x1b]0;pwned\x07\x1b]52;c;aGVsbG8=\x07\x1b[2J",
    "\u202eevil\u202c reversed",
    "\x9b31m C1 CSI",
    "\x00\x08\x7f",
    "line\r\nbreak\rcarriage",
    "[bold red]Eve[/]",
    "a[/]",
    "../../etc/passwd",
    "Mars/Olympus",
    "2026-13-45",
    "2026-02-30",
    "9999-12-31T23:59:59+00:00",
    "0001-01-01T00:00:00+00:00",
    "2026-11-05T10:00:00",
    "not a date",
    "x" * 120_000,
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.sampled_from([0, -1, 1441, 10**30, -(2**63), 2**53 + 1]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(HOSTILE_TEXT),
    st.text(alphabet=st.sampled_from(list("ab \t\n\x1b[]\x07\x9b\u202e\u2066;0")), max_size=12),
)
values = st.one_of(
    scalars,
    st.lists(scalars, max_size=3),
    st.dictionaries(st.sampled_from(["start", "end", "id", "x"]), scalars, max_size=2),
)

# Raw damage, applied to the file's text after the JSON-level edits.
RAW = ["truncate", "nan", "infinity", "1e400", "digits", "deep", "top-array", "bad-key"]


@st.composite
def damage(draw: st.DrawFn) -> dict[str, Any]:
    edits = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["set", "drop", "new", "record", "table"]),
                st.integers(min_value=0, max_value=50),  # which table (mod count)
                st.integers(min_value=0, max_value=50),  # which record
                st.integers(min_value=0, max_value=50),  # which field
                values,
            ),
            min_size=0,
            max_size=3,
        )
    )
    raw = draw(st.one_of(st.none(), st.sampled_from(RAW)))
    if not edits and raw is None:
        raw = draw(st.sampled_from(RAW))
    return {
        "meeting": draw(st.sampled_from(MEETINGS)),
        "edits": edits,
        "raw": raw,
        "cut": draw(st.floats(min_value=0.0, max_value=0.999)),
    }


def apply(path: Path, plan: dict[str, Any]) -> None:
    doc = json.loads(path.read_text("utf-8"))
    tables = sorted(k for k in doc if k != "_meta")
    for op, t, r, f, value in plan["edits"]:
        table = doc[tables[t % len(tables)]]
        if op == "table":
            doc[tables[t % len(tables)]] = value if not isinstance(value, dict) else [value]
            continue
        if not isinstance(table, dict) or not table:
            continue
        key = sorted(table)[r % len(table)]
        record = table[key]
        if op == "record":
            table[key] = value
            continue
        if not isinstance(record, dict):
            continue
        fields = sorted(record)
        name = fields[f % len(fields)] if fields else "id"
        if op == "drop":
            record.pop(name, None)
        elif op == "new":
            record[f"extra{f}"] = value
        else:
            record[name] = value
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    raw = plan["raw"]
    number = re.compile(r'("(?:planned_minutes|rev|position|votes_for|minutes)": )-?\d+')
    if raw == "truncate":
        data = text.encode("utf-8")
        path.write_bytes(data[: int(len(data) * plan["cut"])])
        return
    if raw in ("nan", "infinity", "1e400", "digits"):
        literal = {"nan": "NaN", "infinity": "-Infinity", "1e400": "1e400", "digits": "7" * 5000}
        text = number.sub(lambda m: m.group(1) + literal[raw], text, count=1)
    elif raw == "deep":
        text = text.rstrip()[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    elif raw == "top-array":
        text = "[" + text + "]"
    elif raw == "bad-key":
        text = text.replace('"1": {', '"one": {', 1)
    path.write_text(text, "utf-8")


def decodes(root: Path, path: Path) -> bool:
    """Whether the damaged file still reads and every record in it decodes."""
    ws = Workspace(root, read_only=True)
    try:
        data = ws.load_file(path, kind="meeting", fresh=True)
    except StorageError:
        return False
    return data is not None and not list(damaged_records(data, MEETING_TABLES))


# --- the test --------------------------------------------------------------------------------


ONE_LINE = re.compile(r"^(facilitate: .+|usage: .+|\d+ problem\(s\) found\.)$")
PROBLEMS = re.compile(r"^\d+ problem\(s\) found\.$")


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(plan=damage())
def test_every_command_works_or_gives_a_one_line_error_on_a_damaged_file(
    sample: Path, tmp_path_factory, plan: dict[str, Any]
) -> None:
    root = tmp_path_factory.mktemp("fuzz") / "ws"
    shutil.copytree(sample, root)
    root.chmod(0o700)
    target = root / "meetings" / f"{plan['meeting']}.json"
    apply(target, plan)
    before = target.read_bytes()
    readable = decodes(root, target)
    argvs = commands(str(root), plan["meeting"])
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(argvs)],
        capture_output=True,
        text=True,
        timeout=240,  # a hang fails the example
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    RAN.append(1)
    for result in json.loads(proc.stdout):
        what = " ".join(result["argv"][2:])
        assert result["crash"] is None, f"{what}: {result['crash'][-2500:]}"
        assert result["code"] in (0, 1, 2), (what, result)
        err_lines = result["err"].splitlines()
        if result["argv"][2] == "check" and result["code"] == 1:
            # check's report: one line per problem, then their count (stderr is its output)
            assert PROBLEMS.match(err_lines[-1]), (what, err_lines[-1][:300])
            assert len(err_lines) == int(err_lines[-1].split()[0]) + 1, (what, err_lines)
            err_lines = []
        for line in err_lines:
            assert ONE_LINE.match(line), (what, line[:300])
        assert "Traceback" not in result["out"] + result["err"]
    after = target.read_bytes()
    if not readable:
        assert after == before, f"a damaged file was written ({plan['raw']}, {plan['edits']})"
        check = json.loads(proc.stdout)[0]
        assert check["code"] == 1 and "Workspace OK" not in check["out"]
    elif after != before:  # a legitimate save: what was written is JSON again, all finite
        json.loads(after, parse_constant=lambda c: pytest.fail(f"{c} written back"))
        assert not any(
            isinstance(v, float) and not math.isfinite(v)
            for v in re.findall(rb"[-+]?\d+\.\d+", after)
        )


def test_the_fuzz_ran_its_examples() -> None:
    """(Runs after the fuzz in file order; says how many damaged files were tried.)"""
    if not RAN:
        pytest.skip("the fuzz test did not run in this session")
    print(f"\nhostile-file fuzz: {len(RAN)} damaged files, {len(RAN) * 9} command runs")
    assert len(RAN) >= min(EXAMPLES, 30)
