#!/usr/bin/env python3
"""Writes a calibration plan's result into the parameter table.

Usage: tools/calibration/apply_calibrated.py DIR [src/model/parameters.cpp]

DIR is the output of `il2sim calibrate --out DIR` run with the shipped plan (calibration/plan.toml).
Every parameter of DIR/calibrated.toml ("name = value  # unit; prior P, fit F") gets its default set
to the calibrated value (6 significant digits) and its provenance (the row's trailing `calibration`
member) set to "fit F (DIR): was P"; the row's prior `source` is kept. A parameter the
plan lists among its priors but no fit moved is left as it is.
"""
import re
import sys


def read_calibrated(path):
    rows = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^(\w+) = (\S+)\s+# [^;]*; prior (\S+?)(?:, fit (\S+))?$", line.rstrip("\n"))
        if m:
            rows[m.group(1)] = (float(m.group(2)), m.group(3), m.group(4))
    return rows


def split_top_level(body):
    """Splits the inside of a { ... } row at commas outside string literals."""
    parts, cur, in_str, esc = [], "", False, False
    for ch in body:
        if in_str:
            cur += ch
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
            continue
        if ch == '"':
            in_str = True
            cur += ch
        elif ch == ",":
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts


def main():
    out_dir = sys.argv[1]
    table = sys.argv[2] if len(sys.argv) > 2 else "src/model/parameters.cpp"
    calibrated = read_calibrated(out_dir.rstrip("/") + "/calibrated.toml")
    text = open(table, encoding="utf-8").read()
    done = set()
    for name, (value, prior, fit) in calibrated.items():
        if fit is None:
            continue
        m = re.search(r'\{k\w+, "' + re.escape(name) + r'", ', text)
        if not m:
            sys.exit(f"{table}: no row for parameter {name}")
        start = m.start()
        end = text.index("}", start)
        while True:  # the closing brace of the row is outside string literals
            parts_ok = text[start + 1:end].count('"') % 2 == 0
            if parts_ok:
                break
            end = text.index("}", end + 1)
        parts = split_top_level(text[start + 1:end])
        if len(parts) not in (10, 11):
            sys.exit(f"{table}: row of {name} has {len(parts)} members, expected 10 or 11")
        lead = re.match(r"^\s*", parts[3]).group(0)
        parts[3] = f"{lead}{value:.6g}"
        provenance = f'"fit {fit} ({out_dir.rstrip("/")}): was {prior}"'
        if len(parts) == 10:
            parts.append(" " + provenance)
        else:
            parts[10] = re.match(r"^\s*", parts[10]).group(0) + provenance
        text = text[:start + 1] + ",".join(parts) + text[end:]
        done.add(name)
    open(table, "w", encoding="utf-8").write(text)
    print(f"{len(done)} defaults set from {out_dir}/calibrated.toml: {', '.join(sorted(done))}")


if __name__ == "__main__":
    main()
