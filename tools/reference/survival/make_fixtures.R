#!/usr/bin/env Rscript
# Reference values for il2sim's survival layer (tests/survival), produced by R's `survival` and
# `cmprsk`. Run from the repository root:
#     Rscript tools/reference/survival/make_fixtures.R
# It writes the data sets as CSV and every expected number into tests/survival/fixtures/expected.csv
# (long format: case,curve,key,index,value; 15 significant digits; NA for R's NA). Each fit is made
# on the data read back from the CSV file, so R and il2sim see exactly the same numbers.
suppressPackageStartupMessages({
  library(survival)
  library(cmprsk)
})
out_dir <- "tests/survival/fixtures"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

fmt <- function(x) ifelse(is.na(x), "NA", trimws(formatC(x, digits = 15, format = "g")))
rows <- list()
emit <- function(case, curve, key, values) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, curve = curve, key = key,
                                          index = seq_along(values), value = fmt(as.numeric(values)))
}
write_data <- function(d, name) {
  path <- file.path(out_dir, paste0(name, ".csv"))
  write.csv(d, path, row.names = FALSE, na = "NA")
  read.csv(path, stringsAsFactors = FALSE)
}

# ---- data sets ------------------------------------------------------------------------------
aml_d <- write_data(data.frame(time = aml$time, status = aml$status, x = as.character(aml$x)), "aml")
lung_src <- survival::lung
lung_src$sex <- ifelse(lung_src$sex == 1, "male", "female")
lung_d <- write_data(lung_src, "lung")  # status coded 1/2 (2 = death); NA in several columns
ovarian_d <- write_data(survival::ovarian, "ovarian")
vet <- survival::veteran
vet$celltype <- as.character(vet$celltype)  # factor levels in sorted order, as il2sim does
veteran_d <- write_data(vet, "veteran")
set.seed(20240611)
n <- 240
grp <- sample(c("A", "B", "C"), n, replace = TRUE)
stratum <- sample(c("s1", "s2"), n, replace = TRUE)
rate1 <- c(A = 0.10, B = 0.15, C = 0.08)[grp]
t1 <- rexp(n, rate1)
t2 <- rexp(n, 0.07)
cens <- runif(n, 2, 30)
ctime <- round(pmin(t1, t2, cens), 1)  # rounded: many ties
cstatus <- ifelse(cens <= pmin(t1, t2), 0, ifelse(t1 < t2, 1, 2))
cstatus[c(5, 77)] <- NA
ctime[c(101)] <- NA
cr_d <- write_data(data.frame(time = ctime, status = cstatus, group = grp, stratum = stratum),
                   "competing")

# ---- Kaplan-Meier ---------------------------------------------------------------------------
km_case <- function(case, fit, rmean) {
  s <- summary(fit, censored = TRUE)
  st <- if (is.null(s$strata)) rep("all", length(s$time)) else sub("^[^=]*=", "", as.character(s$strata))
  tab <- summary(fit, rmean = rmean)$table
  if (!is.matrix(tab)) tab <- matrix(tab, nrow = 1, dimnames = list("all", names(tab)))
  rownames(tab) <- sub("^[^=]*=", "", rownames(tab))
  if (is.null(fit$strata)) rownames(tab) <- "all"
  for (g in unique(st)) {
    k <- st == g
    emit(case, g, "time", s$time[k]); emit(case, g, "n_risk", s$n.risk[k])
    emit(case, g, "n_event", s$n.event[k]); emit(case, g, "n_censor", s$n.censor[k])
    emit(case, g, "surv", s$surv[k]); emit(case, g, "std_err", s$std.err[k])
    emit(case, g, "lower", s$lower[k]); emit(case, g, "upper", s$upper[k])
    lv <- fit$conf.int
    emit(case, g, "median", tab[g, "median"])
    emit(case, g, "median_lower", tab[g, paste0(lv, "LCL")])
    emit(case, g, "median_upper", tab[g, paste0(lv, "UCL")])
    emit(case, g, "rmean", tab[g, "rmean"]); emit(case, g, "rmean_se", tab[g, "se(rmean)"])
  }
}
km_case("km_aml", survfit(Surv(time, status) ~ x, data = aml_d), rmean = 40)
km_case("km_lung_sex_loglog", survfit(Surv(time, status) ~ sex, data = lung_d,
        conf.type = "log-log", conf.int = 0.9), rmean = 500)
km_case("km_ovarian_plain", survfit(Surv(futime, fustat) ~ 1, data = ovarian_d,
        conf.type = "plain"), rmean = 1000)
km_case("km_veteran_celltype", survfit(Surv(time, status) ~ celltype, data = veteran_d), rmean = 200)
km_case("km_lung_ecog", survfit(Surv(time, status) ~ ph.ecog, data = lung_d), rmean = 365)

# ---- log-rank / Fleming-Harrington ----------------------------------------------------------
lr_case <- function(case, fit) {
  emit(case, "", "chisq", fit$chisq)
  emit(case, "", "df", sum(rowSums(as.matrix(fit$exp)) > 0) - 1)
  emit(case, "", "p", fit$pvalue)
  obs <- if (is.matrix(fit$obs)) rowSums(fit$obs) else fit$obs
  ex <- if (is.matrix(fit$exp)) rowSums(fit$exp) else fit$exp
  g <- sub("^[^=]*=", "", names(fit$n))
  for (i in seq_along(g)) {
    emit(case, g[i], "n", fit$n[[i]]); emit(case, g[i], "observed", obs[i])
    emit(case, g[i], "expected", ex[i])
  }
}
lr_case("lr_aml", survdiff(Surv(time, status) ~ x, data = aml_d))
lr_case("lr_aml_rho1", survdiff(Surv(time, status) ~ x, data = aml_d, rho = 1))
lr_case("lr_veteran_celltype_strata", survdiff(Surv(time, status) ~ celltype + strata(prior),
                                               data = veteran_d))
lr_case("lr_lung_ecog_strata_rho1", survdiff(Surv(time, status) ~ ph.ecog + strata(sex),
                                             data = lung_d, rho = 1))
lr_case("lr_ovarian_rx_rho05", survdiff(Surv(futime, fustat) ~ rx, data = ovarian_d, rho = 0.5))

# ---- Cox proportional hazards ---------------------------------------------------------------
cox_case <- function(case, fit) {
  s <- summary(fit)
  cf <- s$coefficients
  ci <- s$conf.int
  for (term in rownames(cf)) {
    emit(case, term, "coef", cf[term, "coef"]); emit(case, term, "se", cf[term, "se(coef)"])
    emit(case, term, "z", cf[term, "z"]); emit(case, term, "p", cf[term, "Pr(>|z|)"])
    emit(case, term, "hr", ci[term, "exp(coef)"]); emit(case, term, "hr_lower", ci[term, "lower .95"])
    emit(case, term, "hr_upper", ci[term, "upper .95"])
  }
  emit(case, "", "loglik", fit$loglik)
  emit(case, "", "lr", s$logtest); # summary() rounds the Wald statistic to 2 decimals; the fit holds it unrounded.
  emit(case, "", "wald", c(fit$wald.test, s$waldtest[["df"]], s$waldtest[["pvalue"]])); emit(case, "", "score", s$sctest)
  emit(case, "", "n", fit$n); emit(case, "", "n_event", fit$nevent); emit(case, "", "iterations", fit$iter)
  emit(case, "", "n_dropped", length(fit$na.action))
}
cox_case("cox_aml_efron", coxph(Surv(time, status) ~ x, data = aml_d))
cox_case("cox_aml_breslow", coxph(Surv(time, status) ~ x, data = aml_d, ties = "breslow"))
cox_case("cox_lung_efron", coxph(Surv(time, status) ~ age + sex + ph.ecog + wt.loss, data = lung_d))
cox_case("cox_lung_breslow_strata", coxph(Surv(time, status) ~ age + wt.loss + strata(sex),
                                          data = lung_d, ties = "breslow"))
cox_case("cox_veteran_efron", coxph(Surv(time, status) ~ celltype + karno + diagtime + age,
                                    data = veteran_d))
cox_case("cox_veteran_breslow_strata", coxph(Surv(time, status) ~ celltype + karno + strata(prior),
                                             data = veteran_d, ties = "breslow"))
# Near-separation: every x = 1 dies before every x = 0 (R warns the coefficient may be infinite).
sep_d <- write_data(data.frame(time = c(1, 2, 3, 4, 5, 6, 7, 8), status = c(1, 1, 1, 0, 1, 1, 0, 1),
                               x = c(1, 1, 1, 1, 0, 0, 0, 0)), "separated")
cox_case("cox_separated", suppressWarnings(coxph(Surv(time, status) ~ x, data = sep_d)))
cox_case("cox_ovarian_efron", coxph(Surv(futime, fustat) ~ age + ecog.ps + rx, data = ovarian_d))

# ---- competing risks ------------------------------------------------------------------------
ci_case <- function(case, fit) {
  for (nm in setdiff(names(fit), "Tests")) {
    emit(case, nm, "time", fit[[nm]]$time); emit(case, nm, "estimate", fit[[nm]]$est)
    emit(case, nm, "variance", fit[[nm]]$var)
  }
  if (!is.null(fit$Tests)) {
    for (cause in rownames(fit$Tests)) {
      emit(case, cause, "stat", fit$Tests[cause, "stat"]); emit(case, cause, "p", fit$Tests[cause, "pv"])
      emit(case, cause, "df", fit$Tests[cause, "df"])
    }
  }
}
ci_case("ci_group", with(cr_d, cuminc(time, status, group)))
ci_case("ci_nogroup", with(cr_d, cuminc(time, status)))
ci_case("ci_group_strata", with(cr_d, cuminc(time, status, group, strata = stratum)))
ci_case("ci_group_rho1", with(cr_d, cuminc(time, status, group, rho = 1)))

out <- do.call(rbind, rows)
write.csv(out, file.path(out_dir, "expected.csv"), row.names = FALSE, quote = TRUE)
cat("wrote", nrow(out), "expected values to", file.path(out_dir, "expected.csv"), "\n")
