#!/usr/bin/env python3
"""Adult height/weight distributions whose Mosteller BSA has the moments of Sacco et al. 2010.

Sacco JJ, Botten J, Macbeth F, Bagust A, Clark P. The average body surface area of adult cancer
patients in the UK: a multicentre retrospective study. PLoS One 2010;5(1):e8933 — mean BSA 1.91 m2
(men) and 1.71 m2 (women), SD 0.19 m2 (model.md section 5).

Model: (ln H, ln W) bivariate normal, medians H50, W50, log-SDs sH, sW, correlation rho.
Mosteller BSA = sqrt(H W / 3600), so ln BSA = (ln H + ln W - ln 3600) / 2 is normal with
    muB = (ln H50 + ln W50 - ln 3600) / 2,   sB^2 = (sH^2 + sW^2 + 2 rho sH sW) / 4.
A log-normal with mean m and SD s has sB^2 = ln(1 + (s/m)^2) and muB = ln m - sB^2 / 2. Given m, s,
H50, sH and rho (assumptions, see src/population/population.hpp), solve for the weight:
    sW  = -rho sH + sqrt(4 sB^2 - sH^2 (1 - rho^2))   (positive root of the quadratic)
    W50 = exp(2 muB + ln 3600 - ln H50).
The script prints sW and W50 (the numbers tests/population/test_population.cpp checks
body_size_for_mosteller_bsa against) and a Monte Carlo check of the BSA mean and SD.
Standard library only; run: python3 tools/reference/population/adult_body_size.py
"""
import math
import random

# sex: (BSA mean m2, BSA SD m2) from Sacco 2010; (height median cm, log-SD, rho) assumptions.
CASES = {
    "men": (1.91, 0.19, 176.0, 0.040, 0.45),
    "women": (1.71, 0.19, 163.0, 0.040, 0.45),
}


def solve(m, s, h50, sh, rho):
    sb2 = math.log1p((s / m) ** 2)
    mub = math.log(m) - sb2 / 2
    sw = -rho * sh + math.sqrt(4 * sb2 - sh * sh * (1 - rho * rho))
    w50 = math.exp(2 * mub + math.log(3600.0) - math.log(h50))
    return w50, sw


def monte_carlo(h50, sh, w50, sw, rho, n=400000, seed=20100108):
    rng = random.Random(seed)
    total = total2 = 0.0
    for _ in range(n):
        z1 = rng.gauss(0.0, 1.0)
        z2 = rng.gauss(0.0, 1.0)
        h = h50 * math.exp(sh * z1)
        w = w50 * math.exp(sw * (rho * z1 + math.sqrt(1 - rho * rho) * z2))
        bsa = math.sqrt(h * w / 3600.0)
        total += bsa
        total2 += bsa * bsa
    mean = total / n
    return mean, math.sqrt(total2 / n - mean * mean)


for sex, (m, s, h50, sh, rho) in CASES.items():
    w50, sw = solve(m, s, h50, sh, rho)
    mc_mean, mc_sd = monte_carlo(h50, sh, w50, sw, rho)
    print(f"{sex}: height median {h50} cm, log-SD {sh}, rho {rho} -> weight median {w50:.10f} kg, "
          f"log-SD {sw:.10f}; Monte Carlo BSA mean {mc_mean:.4f}, SD {mc_sd:.4f} (target {m}, {s})")
