# Reference numbers for the report's survival figures, from R's survival package, on a committed
# adtte.csv of a real il2sim run (tests/output/fixtures/adtte_phase3.csv). The test
# tests/output/test_report_run.cpp compares the project's survival layer on the same file with the
# output of this script (tests/output/fixtures/adtte_phase3_r.csv); tests never call R.
#
# The fixture adtte.csv was produced by (see tests/output/fixtures/README.md):
#   build/il2sim run phase3-autosct-nhl --replicates 1 --seed 20261130 --out /tmp/adtte-fixture
#   cp /tmp/adtte-fixture/adtte.csv tests/output/fixtures/adtte_phase3.csv
# Regenerate the reference with (from the repository root):
#   Rscript tools/reference/report/adtte_check.R tests/output/fixtures/adtte_phase3.csv \
#     tests/output/fixtures/adtte_phase3_r.csv
#
# For PFS and OS (time AVAL in days, event CNSR == 0, arms "il2" = experimental, "observation"):
# Kaplan-Meier per arm (patients, events, median with its log CI, S(t) and the number at risk at
# 1, 2 and 4 years), the log-rank test (survdiff, rho = 0), and the Cox model with the indicator of
# the il2 arm (Efron ties): coefficient, SE, hazard ratio with its 95 % CI, Wald p.
suppressPackageStartupMessages(library(survival))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: Rscript adtte_check.R <adtte.csv> <out.csv>")
adtte <- read.csv(args[1], stringsAsFactors = FALSE)

rows <- list()
add <- function(endpoint, quantity, arm, value) {
  rows[[length(rows) + 1]] <<- data.frame(endpoint = endpoint, quantity = quantity, arm = arm,
                                          value = sprintf("%.15g", value), stringsAsFactors = FALSE)
}

for (endpoint in c("PFS", "OS")) {
  d <- adtte[adtte$PARAMCD == endpoint, ]
  d$event <- as.integer(d$CNSR == 0)
  d$il2 <- as.numeric(d$ARM == "il2")
  fit <- survfit(Surv(AVAL, event) ~ ARM, data = d, conf.type = "log")
  tab <- summary(fit)$table
  arms <- sub("^ARM=", "", rownames(tab))
  for (k in seq_along(arms)) {
    add(endpoint, "n", arms[k], tab[k, "records"])
    add(endpoint, "events", arms[k], tab[k, "events"])
    add(endpoint, "median", arms[k], tab[k, "median"])
    add(endpoint, "median_lower", arms[k], tab[k, "0.95LCL"])
    add(endpoint, "median_upper", arms[k], tab[k, "0.95UCL"])
  }
  years <- c(1, 2, 4)
  s <- summary(fit, times = years * 365.25, extend = TRUE)
  s_arm <- sub("^ARM=", "", as.character(s$strata))
  for (k in seq_along(s$time)) {
    y <- years[match(s$time[k], years * 365.25)]
    add(endpoint, sprintf("surv_%dy", y), s_arm[k], s$surv[k])
    add(endpoint, sprintf("n_risk_%dy", y), s_arm[k], s$n.risk[k])
  }
  lr <- survdiff(Surv(AVAL, event) ~ ARM, data = d, rho = 0)
  add(endpoint, "logrank_chisq", "", lr$chisq)
  add(endpoint, "logrank_p", "", pchisq(lr$chisq, df = length(lr$n) - 1, lower.tail = FALSE))
  cox <- coxph(Surv(AVAL, event) ~ il2, data = d, ties = "efron")
  cs <- summary(cox)
  add(endpoint, "cox_coef", "", cs$coefficients["il2", "coef"])
  add(endpoint, "cox_se", "", cs$coefficients["il2", "se(coef)"])
  add(endpoint, "cox_p", "", cs$coefficients["il2", "Pr(>|z|)"])
  add(endpoint, "hr", "", cs$conf.int["il2", "exp(coef)"])
  add(endpoint, "hr_lower", "", cs$conf.int["il2", "lower .95"])
  add(endpoint, "hr_upper", "", cs$conf.int["il2", "upper .95"])
}
out <- do.call(rbind, rows)
write.csv(out, args[2], row.names = FALSE, quote = FALSE, na = "NA")
