"""il2sim: in-silico trials of interleukin-2 after transplantation, from Python.

The engine runs in-process (the C++ library libil2sim, through the extension module
``il2sim._il2sim``) and gives the same numbers as the command-line tool ``il2sim`` for the same
scenario, options and seed. Tables come back as pandas DataFrames with the CSV files' columns and
rows; a missing value ("NA" in the CSV) is NaN in a real column, ``<NA>`` in an integer column
(pandas' nullable ``Int64``) and None in a text column. Each DataFrame's ``attrs`` holds the
columns' ``labels`` and ``units`` (from the engine's field tables).

Functions: :func:`run`, :func:`cohort`, :func:`trajectory`, :func:`params`, :func:`sweep`,
:func:`version`. Errors (a bad scenario, an unknown ``set`` path, an option out of range) raise
``ValueError`` with the message the CLI prints after ``il2sim: error:``.

A scenario is given as:

* a built-in name (``"phase3-autosct-nhl"``; ``None`` is the built-in default, ``programme``),
* a path to a ``.toml`` file (a ``str`` ending in ``.toml`` or holding a ``/``, or an
  ``os.PathLike``),
* TOML text (a ``str`` holding a newline or ``=``),
* a ``dict`` of the scenario's tree (tables as dicts, arrays of tables as lists of dicts), passed
  to the engine as JSON.

``set`` overrides scenario fields like the CLI's ``--set PATH=VALUE``: ``{"stages.phase3.registered":
200}``. A value is turned into the CLI's VALUE text: ``True``/``False`` as ``true``/``false``, numbers
as Python writes them, lists as TOML arrays, a ``str`` as it is (an unquoted word is a string).

See docs/python.md.
"""

import json
import math
import os
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _il2sim

__all__ = ["run", "cohort", "trajectory", "params", "sweep", "version", "RunResult",
           "CohortResult"]

Scenario = Union[None, str, "os.PathLike[str]", Mapping[str, Any]]


def _scenario_input(scenario: Scenario) -> Tuple[str, str]:
    """(kind, text) of the C++ API's ScenarioInput for a scenario given in any accepted form."""
    if scenario is None:
        return "name_or_file", ""
    if isinstance(scenario, Mapping):
        return "json", json.dumps(scenario, allow_nan=False)
    if isinstance(scenario, os.PathLike):
        path = os.fspath(scenario)
        # load_scenario reads a file when the text holds a '/' or ends in .toml.
        return "name_or_file", path if ("/" in path or path.endswith(".toml")) else "./" + path
    if isinstance(scenario, str):
        if "\n" in scenario or "=" in scenario:
            return "toml", scenario
        return "name_or_file", scenario
    raise TypeError(f"scenario: a name, a path, TOML text or a dict, not {type(scenario).__name__}")


def _toml_value(value: Any) -> str:
    """The CLI's VALUE text of a Python value (``--set PATH=VALUE``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_item(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k} = {_toml_item(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"set: no TOML value for {value!r}")


def _toml_item(value: Any) -> str:
    """A value inside a TOML array or inline table: strings quoted (JSON's quoting is TOML's)."""
    return json.dumps(value) if isinstance(value, str) else _toml_value(value)


def _overrides(set: Optional[Mapping[str, Any]]) -> list:
    return [(str(path), _toml_value(v)) for path, v in (set or {}).items()]


def _seed(seed: Optional[int]) -> Optional[str]:
    # As text: the engine checks it (0 to 2^63 - 1) with the CLI's message.
    return None if seed is None else str(seed)


def _frame(columns: list) -> pd.DataFrame:
    """A DataFrame of the C++ API's typed columns (NA as NaN, <NA> or None)."""
    data = {}
    for c in columns:
        missing = np.asarray(c["missing"], dtype=bool)
        if c["type"] == "real":
            data[c["name"]] = pd.Series(c["values"], dtype="float64")
        elif c["type"] == "integer":
            data[c["name"]] = pd.Series(pd.arrays.IntegerArray(
                np.asarray(c["values"], dtype="int64"), missing))
        else:
            data[c["name"]] = pd.Series(c["values"], dtype="object")
    frame = pd.DataFrame(data, columns=[c["name"] for c in columns])
    frame.attrs["labels"] = {c["name"]: c["label"] for c in columns}
    frame.attrs["units"] = {c["name"]: c["unit"] for c in columns}
    return frame


@dataclass
class RunResult:
    """What :func:`run` returns: the operating characteristics and the CSV views of ``il2sim run``.

    Attributes:
        summary: one row per stage output: ``stage``, ``output``, ``value``, ``mc_se`` (the
            columns of sweep.csv; every numeric leaf of each stage's summary.json object).
        adsl, adtte, adlb, adae, ex: the patient-level views (adsl.csv, ...), same rows and
            values as the files (the replicates chosen by ``patient_data``).
        adtte_cuts: adtte_cuts.csv, the survival endpoints at each analysis's data cut.
        summary_json: summary.json's text, byte for byte; ``summary_dict`` parsed.
        scenario_toml: the resolved scenario.toml (``run`` on it reproduces the run).
    """
    summary: pd.DataFrame
    adsl: pd.DataFrame
    adtte: pd.DataFrame
    adlb: pd.DataFrame
    adae: pd.DataFrame
    ex: pd.DataFrame
    adtte_cuts: pd.DataFrame
    summary_json: str
    scenario_toml: str

    @property
    def summary_dict(self) -> dict:
        """summary.json parsed."""
        return json.loads(self.summary_json)


@dataclass
class CohortResult:
    """What :func:`cohort` returns: the CSV views and summary.json of ``il2sim cohort``.

    Attributes:
        adsl, adtte, adlb, adae, ex: the patient-level views, as the files.
        summary_json: summary.json's text, byte for byte; ``summary_dict`` parsed.
    """
    adsl: pd.DataFrame
    adtte: pd.DataFrame
    adlb: pd.DataFrame
    adae: pd.DataFrame
    ex: pd.DataFrame
    summary_json: str

    @property
    def summary_dict(self) -> dict:
        """summary.json parsed."""
        return json.loads(self.summary_json)


_VIEWS = ("adsl", "adtte", "adlb", "adae", "ex")


def run(scenario: Scenario = None, seed: Optional[int] = None, replicates: Optional[int] = None,
        set: Optional[Mapping[str, Any]] = None, threads: int = 1,
        patient_data: str = "first") -> RunResult:
    """Run a scenario's trial stages over replicates, as ``il2sim run``.

    Args:
        scenario: a built-in name, a .toml path, TOML text or a dict (see the module's help);
            None is the built-in default scenario.
        seed: random seed, 0 to 2^63-1 (``--seed``; default: the scenario's).
        replicates: trial replicates, 1 to 1000000 (``--replicates``; default: the scenario's).
        set: scenario fields to change, ``{PATH: VALUE}`` (``--set PATH=VALUE`` each, in order).
        threads: worker threads, 1 to 1024 (the results do not depend on it).
        patient_data: whose patient-level data the views hold (``--patient-data``): ``"first"``
            (each stage's first replicate in which it ran), ``"all"``, or 0-based replicate
            numbers ``"N,M,..."``.

    Returns:
        A :class:`RunResult` (``summary``, ``adsl``, ``adtte``, ``adlb``, ``adae``, ``ex``,
        ``adtte_cuts`` DataFrames; ``summary_json``, ``scenario_toml`` text).

    Raises:
        ValueError: with the CLI's message, for a bad scenario, override or option.
    """
    kind, text = _scenario_input(scenario)
    r = _il2sim.run(kind, text, _seed(seed), replicates, _overrides(set), threads, patient_data)
    frames = {k: _frame(r[k]) for k in ("summary", "adtte_cuts") + _VIEWS}
    return RunResult(summary_json=r["summary_json"], scenario_toml=r["scenario_toml"], **frames)


def cohort(scenario: Scenario = None, arm: str = "", patients: int = 100,
           days: Optional[float] = None, seed: Optional[int] = None,
           set: Optional[Mapping[str, Any]] = None, threads: int = 1) -> CohortResult:
    """Simulate virtual patients through one arm without a trial design, as ``il2sim cohort``.

    Args:
        scenario: a built-in name, a .toml path, TOML text or a dict; None is the default.
        arm: the arm of the scenario (``--arm``); may be left out when the scenario has one arm.
        patients: number of virtual patients, 1 to 10000000 (``--patients``).
        days: follow-up horizon from transplant in days, in (0, 36500] (``--days``; default 1826).
        seed: random seed, 0 to 2^63-1 (default: the scenario's).
        set: scenario fields to change, ``{PATH: VALUE}`` (``--set``).
        threads: worker threads, 1 to 1024 (the results do not depend on it).

    Returns:
        A :class:`CohortResult` (``adsl``, ``adtte``, ``adlb``, ``adae``, ``ex`` DataFrames and
        ``summary_json``).

    Raises:
        ValueError: with the CLI's message.
    """
    kind, text = _scenario_input(scenario)
    r = _il2sim.cohort(kind, text, arm, patients, days, _seed(seed), _overrides(set), threads)
    return CohortResult(summary_json=r["summary_json"], **{k: _frame(r[k]) for k in _VIEWS})


def trajectory(scenario: Scenario = None, arm: str = "", patient: Optional[int] = None,
               typical: bool = False, days: Optional[float] = None, step: Optional[float] = None,
               seed: Optional[int] = None, set: Optional[Mapping[str, Any]] = None,
               mode: Optional[str] = None) -> pd.DataFrame:
    """One virtual patient's states and observations over time, as ``il2sim trajectory``.

    Args:
        scenario: a built-in name, a .toml path, TOML text or a dict; None is the default.
        arm: the arm (``--arm``; default: the scenario's first arm).
        patient: virtual patient K (1, 2, ...) of ``cohort(arm=...)`` with the same seed
            (``--patient``); None is the typical patient.
        typical: the typical patient (``--typical``, the default; excludes ``patient``).
        days: horizon in days since graft infusion (``--days``; default 730).
        step: output interval in days (``--step``; default 0.25).
        seed: random seed of ``patient`` (``--seed``; refused for the typical patient).
        set: scenario fields to change, ``{PATH: VALUE}`` (``--set``).
        mode: solver mode, ``"reference"`` or ``"fast"`` (``--mode``; default: reference for the
            typical patient, the scenario's for a patient).

    Returns:
        A DataFrame with ``day`` and every state and observation column of the CSV (the CSV
        rounds ``day`` to 10 and the others to 8 significant digits; these are full doubles).

    Raises:
        ValueError: with the CLI's message.
    """
    kind, text = _scenario_input(scenario)
    return _frame(_il2sim.trajectory(kind, text, arm, patient, typical, days, step, _seed(seed),
                                     _overrides(set), mode))


def params() -> pd.DataFrame:
    """The parameter reference, as ``il2sim params --json``.

    Returns:
        A DataFrame with one row per model parameter: ``name``, ``unit``, ``default``, ``omega``
        (inter-individual SD of the log), ``lower``, ``upper``, ``bsa_scaling``, ``description``,
        ``source``, ``calibration``.
    """
    return _frame(_il2sim.params())


def sweep(scenario: Scenario = None, grid: Optional[Mapping[str, Sequence[Any]]] = None,
          seed: Optional[int] = None, replicates: Optional[int] = None,
          set: Optional[Mapping[str, Any]] = None, threads: int = 1) -> pd.DataFrame:
    """Run a scenario over a grid of settings with common random numbers, as ``il2sim sweep``.

    Args:
        scenario: a built-in name, a .toml path, TOML text or a dict; None is the default.
        grid: ``{PATH: [V1, V2, ...]}``, one ``--grid PATH=V1,V2,...`` per path, in order (the
            first varies slowest; at most 1000 points). Values are turned into TOML text as
            ``set``'s are.
        seed: random seed (default: the scenario's).
        replicates: trial replicates per grid point (default: the scenario's).
        set: scenario fields to change at every point, ``{PATH: VALUE}`` (``--set``).
        threads: worker threads, 1 to 1024 (the results do not depend on it).

    Returns:
        sweep.csv as a DataFrame: one column per swept path (integer or real when every value is
        one, text otherwise), then ``stage``, ``output``, ``value``, ``mc_se``.

    Raises:
        ValueError: with the CLI's message.
    """
    kind, text = _scenario_input(scenario)
    g = [(str(path), [_toml_value(v) for v in values]) for path, values in (grid or {}).items()]
    return _frame(_il2sim.sweep(kind, text, g, _seed(seed), replicates, _overrides(set), threads))


def version() -> str:
    """The engine's version, as ``il2sim --version``."""
    return _il2sim.version()
