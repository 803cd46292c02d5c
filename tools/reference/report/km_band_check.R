# The Kaplan–Meier figure data of a run's report against R's survival package (docs/report.md):
# for each arm, the steps (month, S) and the shaded band (y_lower, y_upper) of
# figures/s1-km-PFS.csv and figures/s1-km-OS.csv equal survfit's time / 30.4375, surv, lower and
# upper (conf.type = "log", the default) at the event times, on the run's own adtte.csv.
#   Rscript tools/reference/report/km_band_check.R OUT     (OUT: an `il2sim run` directory whose
#                                                           stage 1 is randomized)
# Prints the largest absolute difference; exits 1 when it exceeds 1e-12.
library(survival)
out <- commandArgs(trailingOnly = TRUE)[1]
adtte <- read.csv(file.path(out, "adtte.csv"))
worst <- 0
for (endpoint in c("PFS", "OS")) {
  a <- subset(adtte, PARAMCD == endpoint)
  f <- read.csv(file.path(out, "figures", paste0("s1-km-", endpoint, ".csv")))
  for (arm in unique(a$ARM)) {
    s <- survfit(Surv(AVAL, 1 - CNSR) ~ 1, data = subset(a, ARM == arm))
    ev <- s$n.event > 0
    steps <- subset(f, series == arm & kind == "step")[-1, ][seq_len(sum(ev)), ]      # row 1: (0, 1)
    band <- subset(f, series == paste(arm, "95 % CI") & kind == "band")[-1, ][seq_len(sum(ev)), ]
    worst <- max(worst, abs(steps$x - s$time[ev] / 30.4375), abs(steps$y - s$surv[ev]),
                 abs(band$y_lower - s$lower[ev]), abs(band$y_upper - s$upper[ev]), na.rm = TRUE)
  }
}
cat(sprintf("max |figure data - survfit| over steps and bands of PFS and OS: %.3g\n", worst))
quit(status = if (worst > 1e-12) 1 else 0)
