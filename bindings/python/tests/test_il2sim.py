"""The Python module against the CLI: each function gives the numbers of the same subcommand for
the same scenario, options and seed (the expectations are the CLI's outputs, made here with the
binary named by IL2SIM_BIN), and errors are ValueError with the CLI's message.

Run by CTest (test python_module) with Debian's /usr/bin/python3 and PYTHONPATH=build/python.
"""

import csv
import inspect
import json
import math
import os
import subprocess
import tomllib

import pandas as pd
import pytest

import il2sim

BIN = os.environ.get("IL2SIM_BIN", "build/il2sim")
SCENARIO = "phase3-autosct-nhl"


def cli(*args):
    """Runs the CLI; returns (exit code, stdout, stderr)."""
    p = subprocess.run([BIN, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def cli_ok(*args):
    code, out, err = cli(*args)
    assert code == 0, err
    return out


def read_cells(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def expect_same_frame(frame, path, na="NA"):
    """Every cell of `frame` equals the CSV file's: numbers exactly (the CSV's shortest round-trip
    text read back by float()), integers, texts, and missing where the CLI wrote `na`."""
    header, rows = read_cells(path)
    assert list(frame.columns) == header
    assert len(frame) == len(rows)
    for k, name in enumerate(header):
        col = frame[name]
        cells = [r[k] for r in rows]
        if col.dtype == "float64":
            want = [math.nan if c == na else float(c) for c in cells]
            got = col.tolist()
            assert all((math.isnan(a) and math.isnan(b)) or a == b for a, b in zip(got, want)), name
        elif str(col.dtype) == "Int64":
            assert [None if v is pd.NA else int(v) for v in col] == \
                [None if c == na else int(c) for c in cells], name
        else:
            assert col.tolist() == [None if c == na else c for c in cells], name


@pytest.fixture(scope="module")
def run_pair(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    cli_ok("run", SCENARIO, "--replicates", "3", "--seed", "7", "--out", str(out), "--force")
    return out, il2sim.run(SCENARIO, seed=7, replicates=3)


def test_run_views_and_summary_equal_the_cli(run_pair):
    out, r = run_pair
    assert r.summary_json == (out / "summary.json").read_text()
    assert r.scenario_toml == (out / "scenario.toml").read_text()
    for view in ("adsl", "adtte", "adlb", "adae", "ex", "adtte_cuts"):
        expect_same_frame(getattr(r, view), out / f"{view}.csv")
    # The summary table is summary.json's stage object: its power, exactly.
    power = r.summary.query("stage == 'phase3' and output == 'power'")["value"].item()
    stage = next(s for s in r.summary_dict["stages"] if s["name"] == "phase3")
    assert power == stage["power"]


def test_adtte_event_counts_per_arm_equal_the_cli(run_pair):
    out, r = run_pair
    header, rows = read_cells(out / "adtte.csv")
    i_arm, i_cd, i_cnsr = header.index("ARM"), header.index("PARAMCD"), header.index("CNSR")
    want = {}
    for row in rows:
        if row[i_cnsr] == "0":
            key = (row[i_arm], row[i_cd])
            want[key] = want.get(key, 0) + 1
    events = r.adtte[r.adtte["CNSR"] == 0]
    got = events.groupby(["ARM", "PARAMCD"]).size().to_dict()
    assert got == want
    assert str(r.adtte["CNSR"].dtype) == "Int64" and r.adtte["AVAL"].dtype == "float64"
    assert {a for a, p in want if p == "PFS"} == {"il2", "observation"}


def test_cohort_equals_the_cli(tmp_path):
    cli_ok("cohort", SCENARIO, "--arm", "il2", "--patients", "8", "--days", "400", "--seed", "7",
           "--out", str(tmp_path), "--force")
    r = il2sim.cohort(SCENARIO, arm="il2", patients=8, days=400, seed=7, threads=2)
    assert r.summary_json == (tmp_path / "summary.json").read_text()
    for view in ("adsl", "adtte", "adlb", "adae", "ex"):
        expect_same_frame(getattr(r, view), tmp_path / f"{view}.csv")


def test_trajectory_equals_the_cli_to_its_precision(tmp_path):
    path = tmp_path / "t.csv"
    cli_ok("trajectory", "--typical", "--days", "20", "--step", "0.5", "--out", str(path))
    t = il2sim.trajectory(typical=True, days=20, step=0.5)
    header, rows = read_cells(path)
    assert list(t.columns) == header and len(t) == len(rows)
    # sim/trajectory.cpp writes day with {:.10g} and every other column with {:.8g}.
    for k, name in enumerate(header):
        fmt = "%.10g" if k == 0 else "%.8g"
        assert [fmt % v for v in t[name]] == [r[k] for r in rows], name


def test_params_equal_the_cli_json():
    want = json.loads(cli_ok("params", "--json"))["parameters"]
    got = il2sim.params()
    assert len(got) == len(want)
    assert got.to_dict("records") == want


def test_sweep_equals_the_cli(tmp_path):
    cli_ok("sweep", SCENARIO, "--grid", "stages.phase3.registered=60,80", "--replicates", "2",
           "--seed", "7", "--out", str(tmp_path), "--force")
    s = il2sim.sweep(SCENARIO, grid={"stages.phase3.registered": [60, 80]}, replicates=2, seed=7)
    expect_same_frame(s, tmp_path / "sweep.csv", na="")


def test_set_dict_and_toml_inputs_give_the_cli_numbers(run_pair, tmp_path):
    _, r = run_pair
    text = cli_ok("scenarios", "show", SCENARIO)
    assert il2sim.run(text, seed=7, replicates=3).summary_json == r.summary_json
    assert il2sim.run(tomllib.loads(text), seed=7, replicates=3).summary_json == r.summary_json
    cli_ok("run", SCENARIO, "--replicates", "1", "--seed", "7", "--set",
           "stages.phase3.registered=100", "--set", "stages.phase3.looks=[0.6, 1.0]",
           "--out", str(tmp_path), "--force")
    with_set = il2sim.run(SCENARIO, seed=7, replicates=1,
                          set={"stages.phase3.registered": 100,
                               "stages.phase3.looks": [0.6, 1.0]})
    assert with_set.summary_json == (tmp_path / "summary.json").read_text()
    assert with_set.scenario_toml == (tmp_path / "scenario.toml").read_text()


def test_errors_are_value_errors_with_the_cli_message(tmp_path):
    cases = [
        (["run", SCENARIO, "--replicates", "1", "--set", "stages.phase3.no_such=1"],
         lambda: il2sim.run(SCENARIO, replicates=1, set={"stages.phase3.no_such": 1})),
        (["run", "no-such-scenario"], lambda: il2sim.run("no-such-scenario")),
        (["run", SCENARIO, "--replicates", "0"], lambda: il2sim.run(SCENARIO, replicates=0)),
        (["cohort", SCENARIO, "--arm", "nope", "--patients", "2"],
         lambda: il2sim.cohort(SCENARIO, arm="nope", patients=2)),
    ]
    for k, (args, call) in enumerate(cases):
        code, _, err = cli(*args, "--out", str(tmp_path / str(k)))
        assert code == 2
        assert err.startswith("il2sim: error: ")
        with pytest.raises(ValueError) as e:
            call()
        assert str(e.value) == err[len("il2sim: error: "):].rstrip("\n")
    with pytest.raises(ValueError, match="is not a seed"):
        il2sim.run(SCENARIO, seed=-1)


def test_every_argument_is_documented():
    for f in (il2sim.run, il2sim.cohort, il2sim.trajectory, il2sim.params, il2sim.sweep):
        for name in inspect.signature(f).parameters:
            assert f"    {name}:" in f.__doc__, (f.__name__, name)
    assert il2sim.version() == cli_ok("--version").strip()
