#!/usr/bin/env python3
"""The [parameters] of a `calibrate --out` folder's calibrated.toml as `--set parameters.NAME=VALUE`
options (one line, shell words), so that any command runs at a fit's values without copying them:

    build/il2sim calibrate --check --set model.nk=il2_dependent \\
        $(tools/calibration/sets_of.py calibration/fits-v2/nk-immune/calibrated.toml)
"""
import sys
import tomllib


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1], "rb") as f:
        parameters = tomllib.load(f).get("parameters", {})
    print(" ".join(f"--set parameters.{name}={value!r}" for name, value in parameters.items()))


if __name__ == "__main__":
    main()
