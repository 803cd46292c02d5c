# The ADaM check from R (docs/adam.md), run by tests/output/adam_check.sh on a run's output
# directory: what a statistician does with the CSV views, with nothing but read.csv and survival.
#   Rscript tests/output/adam_check.R IL2SIM RUN_DIR
# 1. ADSL: every registrant once; the population flags agree (RANDFL = ITTFL; SAFFL = TREATED;
#    never randomized => NOTRNDRS given and no arm); a CONSORT count by reason.
# 2. ADLB: a unit on every row; one ABLFL record per patient and parameter; CHG = AVAL - BASE.
# 3. ADTTE: for PFS and OS, survfit(Surv(AVAL, 1 - CNSR) ~ TRT01P) reproduces
#    a. the Kaplan-Meier table of report.html under each figure (patients, events, median and its
#       95 % CI in months, printed to 1 decimal): the report draws its Kaplan-Meier figures and these
#       tables from the example replicate's patients, the rows of adtte.csv;
#    b. `il2sim survival km --where PARAMCD=... --censor CNSR --group TRT01P` (every time, number
#       at risk, events, censored, S(t), its SE and log CI, printed to 6 significant digits), with
#       survfit's timefix off (see below).
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: Rscript adam_check.R IL2SIM RUN_DIR")
bin <- args[1]
dir <- args[2]
failures <- 0
check <- function(ok, what) {
  if (!isTRUE(ok)) {
    failures <<- failures + 1
    cat("FAIL:", what, "\n")
  }
}

# 1. ADSL
adsl <- read.csv(file.path(dir, "adsl.csv"), stringsAsFactors = FALSE)
check(anyDuplicated(adsl$USUBJID) == 0, "a registrant appears twice in ADSL")
check(all(adsl$RANDFL %in% c("Y", "N")), "RANDFL is Y or N in a randomized stage")
check(identical(adsl$ITTFL, adsl$RANDFL), "ITTFL = RANDFL")
check(identical(adsl$SAFFL == "Y", adsl$TREATED == 1), "SAFFL = Y exactly when TREATED = 1")
never <- adsl$RANDFL == "N"
check(any(never), "the phase III loses registrants before randomization")
check(all(is.na(adsl$TRT01P[never])) && all(!is.na(adsl$TRT01P[!never])),
      "TRT01P missing exactly for the never randomized")
check(all(adsl$NOTRNDRS[never] != "") && all(adsl$NOTRNDRS[!never] == ""),
      "NOTRNDRS given exactly for the never randomized")
cat("CONSORT from ADSL: registered", nrow(adsl), "; not randomized", sum(never), "(",
    paste(names(table(adsl$NOTRNDRS[never])), table(adsl$NOTRNDRS[never]), collapse = ", "),
    "); randomized", paste(names(table(adsl$TRT01P)), table(adsl$TRT01P), collapse = ", "), "\n")

# 2. ADLB
adlb <- read.csv(file.path(dir, "adlb.csv"), stringsAsFactors = FALSE)
check(all(!is.na(adlb$AVALU) & adlb$AVALU != ""), "AVALU on every ADLB row")
key <- paste(adlb$USUBJID, adlb$PARAMCD, adlb$ETRATIO)
flagged <- table(key[!is.na(adlb$ABLFL) & adlb$ABLFL == "Y"])
check(all(flagged == 1), "one ABLFL record per patient and parameter")
check(setequal(names(flagged), unique(key[adlb$VISIT == "BASELINE"])),
      "a baseline record for every parameter with a BASELINE visit")
has_chg <- !is.na(adlb$CHG)
# To 1e-12 relative: R's read.csv is not guaranteed to round a decimal text to the nearest double.
chg <- adlb$AVAL[has_chg] - adlb$BASE[has_chg]
check(all(abs(adlb$CHG[has_chg] - chg) <= 1e-12 * pmax(1, abs(chg))), "CHG = AVAL - BASE")

# 3. ADTTE
adtte <- read.csv(file.path(dir, "adtte.csv"), stringsAsFactors = FALSE)
html <- readLines(file.path(dir, "report.html"), encoding = "UTF-8", warn = FALSE)
days_per_month <- 365.25 / 12
months <- function(x) ifelse(is.na(x), "\u2014", sprintf("%.1f", x / days_per_month))
cells <- function(row) {
  m <- regmatches(row, gregexpr("<td[^>]*>[^<]*</td>", row))[[1]]
  gsub("<[^>]*>", "", m)
}
report_table <- function(caption) {
  at <- which(html == sprintf("<caption>%s by arm</caption>", caption))
  if (length(at) != 1) stop("no table '", caption, " by arm' in report.html")
  rows <- list()
  for (line in html[(at + 1):length(html)]) {
    if (line == "</tbody>") break
    if (startsWith(line, "<tr><td")) rows[[length(rows) + 1]] <- cells(line)
  }
  rows
}
parse_km_text <- function(lines) {
  # `il2sim survival km` without --json: a summary, then per group a blank line, the group's
  # name, a header and one row per time (as R's summary(survfit, censored = TRUE)).
  out <- list()
  group <- NULL
  for (i in seq_along(lines)) {
    if (lines[i] == "" && i + 2 <= length(lines)) {
      group <- trimws(lines[i + 1])
      out[[group]] <- NULL
      next
    }
    if (is.null(group) || trimws(lines[i]) == group || grepl("n.risk", lines[i])) next
    v <- suppressWarnings(as.numeric(strsplit(trimws(lines[i]), " +")[[1]]))
    out[[group]] <- rbind(out[[group]], v)
  }
  out
}
close_enough <- function(a, b) {
  both_na <- is.na(a) & is.na(b)
  ok <- both_na | (!is.na(a) & !is.na(b) & abs(a - b) <= 1e-5 * pmax(1, abs(b)))
  all(ok)
}
for (endpoint in c("PFS", "OS")) {
  d <- adtte[adtte$PARAMCD == endpoint, ]
  fit <- survfit(Surv(AVAL, 1 - CNSR) ~ TRT01P, data = d)
  tab <- summary(fit)$table
  arms <- sub("^TRT01P=", "", rownames(tab))
  caption <- if (endpoint == "PFS") "Progression-free survival" else "Overall survival"
  printed <- report_table(caption)
  check(length(printed) == length(arms), paste(endpoint, "report table has one row per arm"))
  for (row in printed) {
    k <- match(row[1], arms)
    check(!is.na(k), paste(endpoint, "report arm", row[1], "is a TRT01P"))
    if (is.na(k)) next
    expected <- c(arms[k], format(tab[k, "records"]), format(tab[k, "events"]),
                  months(tab[k, "median"]),
                  paste(months(tab[k, "0.95LCL"]), "to", months(tab[k, "0.95UCL"])))
    check(identical(row, expected),
          paste(endpoint, arms[k], "report:", paste(row, collapse = " | "), "R:",
                paste(expected, collapse = " | ")))
  }
  text <- system2(bin, c("survival", "km", "--data", file.path(dir, "adtte.csv"), "--time", "AVAL",
                         "--censor", "CNSR", "--where", paste0("PARAMCD=", endpoint), "--group",
                         "TRT01P"), stdout = TRUE)
  curves <- parse_km_text(text)
  # R's survfit merges times that differ by floating-point noise (timefix, e.g. 3603 and
  # 3603.0000000000005, both censored); il2sim's survival layer keeps every distinct double.
  # Line by line, the curves are compared without timefix (the same times).
  s <- summary(update(fit, timefix = FALSE), censored = TRUE)
  strata <- sub("^TRT01P=", "", as.character(s$strata))
  for (arm in arms) {
    r <- strata == arm
    expected <- cbind(s$time[r], s$n.risk[r], s$n.event[r], s$n.censor[r], s$surv[r],
                      s$std.err[r], s$lower[r], s$upper[r])
    got <- curves[[arm]]
    ok <- !is.null(got) && identical(dim(unname(got)), dim(unname(expected))) &&
      close_enough(unname(got), unname(expected))
    check(ok, paste(endpoint, arm, "il2sim survival km agrees with survfit"))
  }
  cat(endpoint, ": survfit by TRT01P, medians (months)",
      paste(arms, months(tab[, "median"]), collapse = ", "), "\n")
}
if (failures > 0) {
  cat(failures, "check(s) failed\n")
  quit(status = 1)
}
cat("adam_check: all checks passed\n")
