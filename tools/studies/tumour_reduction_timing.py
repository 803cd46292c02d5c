#!/usr/bin/env python3
"""How much of the typical patient's tumour reduction accrues during IL-2 and how much after it
stops (issue 14, "Done when"; docs/model.md "When the tumour reduction accrues").

Runs `il2sim trajectory --typical` for a scenario's IL-2 arm and its control arm (the same typical
patient: no variability, deterministic tumour, the regimen from day 46) and compares the malignant
cell count L(t): the log reduction is R(t) = ln L_control(t) − ln L_il2(t). IL-2 ends at the last
output time with a positive infusion rate; "during" is R at that time, the total is the largest
R(t) over the horizon (after it the two arms converge as the untreated tumour saturates), and
"after" is the rest.

    tools/studies/tumour_reduction_timing.py build/il2sim [SCENARIO] [--set PATH=VALUE ...]
        [--ensemble posterior.toml [--sets N]]

Defaults: phase3-autosct-nhl, arms il2 and observation, 730 days, step 0.25. Prints one line per
run and writes nothing. With --ensemble, the typical patient of each of the first N parameter sets
(default all; each set's parameters and model given with --set), then the weighted 5 %, 50 % and
95 % quantiles of the share accrued after IL-2 over those sets.
"""
import csv
import math
import tomllib
import os
import subprocess
import sys
import tempfile


def trajectory(binary, scenario, arm, sets, out):
    cmd = [binary, "trajectory", scenario, "--arm", arm, "--typical", "--days", "730",
           "--step", "0.25", "--out", out]
    for s in sets:
        cmd += ["--set", s]
    subprocess.run(cmd, check=True, capture_output=True, text=True)
    with open(out) as f:
        return [(float(r["day"]), float(r["L"]), float(r["rate"])) for r in csv.DictReader(f)]


def timing(binary, scenario, sets):
    """(end of IL-2 day, log reduction then, largest log reduction, its day)."""
    with tempfile.TemporaryDirectory() as tmp:
        il2 = trajectory(binary, scenario, "il2", sets, os.path.join(tmp, "il2.csv"))
        ctl = trajectory(binary, scenario, "observation", sets, os.path.join(tmp, "ctl.csv"))
    on = [d for d, _, rate in il2 if rate > 0]
    if not on:
        sys.exit("the il2 arm's typical patient receives no IL-2")
    first, last = min(on), max(on)
    reduction = []
    for (day, li, _), (_, lc, _) in zip(il2, ctl):
        if li > 0 and lc > 0:
            reduction.append((day, math.log(lc / li)))
    during = max(r for d, r in reduction if d <= last)
    peak_day, peak = max(reduction, key=lambda x: x[1])
    return first, last, during, peak, peak_day


def weighted_quantile(pairs, q):
    pairs = sorted(pairs)
    total = sum(w for _, w in pairs)
    acc = 0.0
    for x, w in pairs:
        acc += w
        if acc >= q * total:
            return x
    return pairs[-1][0]


def set_options(s):
    """--set values of one [[sets]] table: its model and its parameters."""
    out = ["model.%s=%s" % (k, v) for k, v in s.get("model", {}).items()]
    out += ["parameters.%s=%r" % (k, v) for k, v in s.items() if k not in ("weight", "model")]
    return out


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = sys.argv[1]
    rest = sys.argv[2:]
    scenario = "phase3-autosct-nhl"
    if rest and not rest[0].startswith("--"):
        scenario = rest.pop(0)
    option = {}
    sets = []
    for i in range(0, len(rest) - 1, 2):
        if rest[i] == "--set":
            sets.append(rest[i + 1])
        elif rest[i] in ("--ensemble", "--sets"):
            option[rest[i]] = rest[i + 1]
        else:
            sys.exit("unknown option %s\n%s" % (rest[i], __doc__))
    if "--ensemble" not in option:
        first, last, during, peak, peak_day = timing(binary, scenario, sets)
        print(f"scenario = {scenario}; IL-2 from day {first:g} to {last:g}; "
              f"log reduction at the end of IL-2 = {during:.3f}; largest = {peak:.3f} on day "
              f"{peak_day:g}; during IL-2 = {during / peak:.2f}, after = {1 - during / peak:.2f}")
        return
    with open(option["--ensemble"], "rb") as f:
        ensemble = tomllib.load(f)["sets"]
    ensemble = ensemble[: int(option.get("--sets", len(ensemble)))]
    after = []
    for s in ensemble:
        _, _, during, peak, _ = timing(binary, scenario, sets + set_options(s))
        after.append((1 - during / peak if peak > 0 else float("nan"), s.get("weight", 1.0)))
    finite = [(x, w) for x, w in after if not math.isnan(x)]
    print(f"scenario = {scenario}; ensemble = {option['--ensemble']}; sets = {len(after)} "
          f"({len(after) - len(finite)} without a reduction); share after IL-2: median "
          f"{weighted_quantile(finite, 0.5):.2f}, 90 % interval "
          f"{weighted_quantile(finite, 0.05):.2f} - {weighted_quantile(finite, 0.95):.2f}")


if __name__ == "__main__":
    main()
