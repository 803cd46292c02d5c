#!/usr/bin/env python3
"""Simulation-based calibration of `il2sim calibrate --posterior abc-smc` on the full model
(docs/posterior.md "Coverage on the full model"; Talts et al. 2018).

Each repetition draws true values of r_nhl and p_no_disease from the prior below, simulates the
three NHL observation targets DZ1_median, DZ1_year1 and DZ2_pfs4 at those values (`calibrate
--check`, the shipped virtual patients), draws the "observed" centre of each target from the
range error model of docs/posterior.md around the simulated value (flat within ± the shipped
range's half-width h, Gaussian tails of SD h / 1.959964 beyond), writes a targets file with those
ranges, runs the posterior and records whether each parameter's 90 % interval (q05–q95) holds
the truth. Calibrated posteriors cover the truth in 90 % of repetitions.

    tools/studies/coverage_full_model.py build/il2sim REPETITIONS OUT_DIR [THREADS]

Writes OUT_DIR/coverage.csv (one row per repetition) and prints the coverage of each parameter
with its binomial SE.
"""
import csv
import json
import math
import os
import random
import re
import subprocess
import sys

PRIOR = {"r_nhl": (0.015, 0.06), "p_no_disease": (0.05, 0.4)}  # uniform (spans < 10x)
TARGETS = ["DZ1_median", "DZ1_year1", "DZ2_pfs4"]
SCALE = "0.25"  # a quarter of each experiment's patients: 150 per evaluation
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def target_block(text, tid):
    """The [[targets]] block of id `tid`: (start, end) offsets."""
    start = text.index('id = "%s"' % tid)
    end = text.find("[[targets]]", start)
    return start, len(text) if end < 0 else end


def with_ranges(text, centres):
    for tid, (c, h) in centres.items():
        a, b = target_block(text, tid)
        block = text[a:b]
        for key, value in (("target", c), ("lower", c - h), ("upper", c + h)):
            block = re.sub(r"(?m)^%s = .*$" % key, "%s = %r" % (key, value), block)
        text = text[:a] + block + text[b:]
    return text


def half_width(text, tid):
    a, b = target_block(text, tid)
    lo = float(re.search(r"(?m)^lower = (\S+)", text[a:b]).group(1))
    hi = float(re.search(r"(?m)^upper = (\S+)", text[a:b]).group(1))
    return (hi - lo) / 2.0


def error_draw(rng, h):
    """One draw of the range error model: uniform on [-h, h] with probability 2h / (2h + σ√(2π)),
    else h + |N(0, σ)| with a random sign; σ = h / 1.959964."""
    sigma = h / 1.959964
    if rng.random() < 2 * h / (2 * h + sigma * math.sqrt(2 * math.pi)):
        return rng.uniform(-h, h)
    return (h + abs(rng.gauss(0.0, sigma))) * (1 if rng.random() < 0.5 else -1)


def main():
    binary, reps, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    threads = sys.argv[4] if len(sys.argv) > 4 else "2"
    os.makedirs(out, exist_ok=True)
    shipped = open(os.path.join(ROOT, "calibration", "targets.toml")).read()
    rows = []
    for rep in range(reps):
        rng = random.Random(2026 + rep)
        truth = {k: rng.uniform(lo, hi) for k, (lo, hi) in PRIOR.items()}
        sets = sum((["--set", "parameters.%s=%r" % (k, v)] for k, v in truth.items()), [])
        check = json.loads(run([binary, "calibrate", "--check", "--json", "--only", ",".join(TARGETS),
                                "--patients-scale", SCALE, "--threads", threads] + sets))
        simulated = {t["id"]: t["simulated"] for t in check["targets"]}
        centres = {}
        for tid in TARGETS:
            h = half_width(shipped, tid)
            centres[tid] = (simulated[tid] + error_draw(rng, h), h)
        path = os.path.join(out, "targets-%d.toml" % rep)
        with open(path, "w") as f:
            f.write(with_ranges(shipped, centres))
        post = os.path.join(out, "posterior-%d" % rep)
        priors = sum((["--prior", "%s=%r:%r" % (k, lo, hi)] for k, (lo, hi) in PRIOR.items()), [])
        report = json.loads(run([binary, "calibrate", "--posterior", "abc-smc", "--targets", path,
                                 "--parameters", ",".join(PRIOR), "--only", ",".join(TARGETS),
                                 "--particles", "100", "--max-moves", "4", "--seed", str(rep + 1),
                                 "--patients-scale", SCALE, "--threads", threads, "--json",
                                 "--force", "--out", post] + priors))
        row = {"repetition": rep}
        for p in report["parameters"]:
            t = truth[p["name"]]
            row[p["name"] + "_true"] = t
            row[p["name"] + "_q05"] = p["q05"]
            row[p["name"] + "_q95"] = p["q95"]
            row[p["name"] + "_covered"] = int(p["q05"] <= t <= p["q95"])
        rows.append(row)
        print("repetition %d: %s" % (rep, {k: v for k, v in row.items() if k.endswith("covered")}),
              flush=True)
    with open(os.path.join(out, "coverage.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    for name in PRIOR:
        k = sum(r[name + "_covered"] for r in rows)
        share = k / len(rows)
        print("%s: 90 %% intervals cover the truth in %d of %d (%.3f, binomial SE %.3f)"
              % (name, k, len(rows), share, math.sqrt(0.9 * 0.1 / len(rows))))


if __name__ == "__main__":
    main()
