#!/usr/bin/env Rscript
# R's time for the fits that bench/bench_survival.cpp times in il2sim, on data of the same design
# (n rows, 5 standard-normal covariates with log-HR 0.5,-0.3,0.2,0,0.1, arm = x1 > 0, exponential
# event and censoring times rounded to 1e-4). Usage, from the repository root:
#     Rscript tools/reference/survival/bench_r.R [n=1e6] [repeats=3]
# Prints the median elapsed seconds of each fit (data generation not timed).
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
n <- if (length(args) >= 1) as.numeric(args[1]) else 1e6
reps <- if (length(args) >= 2) as.integer(args[2]) else 3
set.seed(20240611)
x <- matrix(rnorm(n * 5), n, 5, dimnames = list(NULL, paste0("x", 1:5)))
eta <- drop(x %*% c(0.5, -0.3, 0.2, 0, 0.1))
t_event <- rexp(n) / (0.1 * exp(eta))
t_censor <- rexp(n) / 0.04
d <- data.frame(time = round(pmin(t_event, t_censor), 4), status = as.integer(t_event <= t_censor), x)
d$arm <- as.integer(d$x1 > 0)
timeit <- function(expr) {
  f <- substitute(expr)
  median(replicate(reps, system.time(eval(f, parent.frame()))[["elapsed"]]))
}
km <- timeit(survfit(Surv(time, status) ~ arm, data = d))
lr <- timeit(survdiff(Surv(time, status) ~ arm, data = d))
cox <- timeit(coxph(Surv(time, status) ~ x1 + x2 + x3 + x4 + x5, data = d, ties = "efron"))
cat(sprintf("R %s, survival %s, n = %g, median of %d runs (seconds)\n", getRversion(),
            packageVersion("survival"), n, reps))
cat(sprintf("km      %.4f\nlogrank %.4f\ncox     %.4f\n", km, lr, cox))
