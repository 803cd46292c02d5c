#!/usr/bin/env python3
"""V2 and Q of the 2-compartment IL-2 model from Konrad et al. (Cancer Res 1990;50:2009).

Konrad reports, after an IV bolus, C0 = 650 IU/mL per 10^6 IU/m^2 (so V1 = 1540 mL/m^2), half-lives
t1/2 alpha = 12.9 min and t1/2 beta = 85 min, and a clearance of 120 mL/min. For a reference adult of
1.8 m^2, the micro-constants follow from alpha + beta = k10 + k12 + k21 and alpha * beta = k10 * k21.
Prints the values used as defaults in src/model/parameters.cpp.
"""
import math

bsa = 1.8
v1 = 1540.0 * bsa                  # mL
cl = 120.0 * 1440.0                # mL/day
alpha = math.log(2) / (12.9 / 1440)  # 1/day
beta = math.log(2) / (85.0 / 1440)   # 1/day
k10 = cl / v1
k21 = alpha * beta / k10
k12 = alpha + beta - k10 - k21
q = k12 * v1
v2 = q / k21
print(f"Q  = {q / 1440:.5f} mL/min")
print(f"V2 = {v2 / bsa:.3f} mL/m^2")
