# Reference values for tests/design/test_group_sequential.cpp, from rpact (Wassmer & Pahlke).
# Run from the repository root:  Rscript tools/reference/design/gsd.R
# Writes tests/design/fixtures/gsd_rpact.csv (one row per look and case; beta = 0.2 throughout, so
# the inflation factor is that of power 0.8). The tests never call R.
suppressPackageStartupMessages(library(rpact))

cases <- list(
  list(id = "obf_equal_3", spending = "asOF", info = c(1, 2, 3) / 3, beta_spending = "none"),
  list(id = "pocock_equal_3", spending = "asP", info = c(1, 2, 3) / 3, beta_spending = "none"),
  list(id = "obf_unequal_4", spending = "asOF", info = c(0.25, 0.5, 0.8, 1), beta_spending = "none"),
  list(id = "pocock_unequal_3", spending = "asP", info = c(0.3, 0.7, 1), beta_spending = "none"),
  list(id = "obf_futility_obf_3", spending = "asOF", info = c(1, 2, 3) / 3, beta_spending = "bsOF"),
  list(id = "pocock_futility_pocock_4", spending = "asP", info = c(0.25, 0.5, 0.75, 1), beta_spending = "bsP")
)

rows <- list()
for (cs in cases) {
  k <- length(cs$info)
  if (cs$beta_spending == "none") {
    d <- getDesignGroupSequential(kMax = k, alpha = 0.025, beta = 0.2, sided = 1,
                                  typeOfDesign = cs$spending, informationRates = cs$info)
    fut <- rep(NA_real_, k)
  } else {
    d <- getDesignGroupSequential(kMax = k, alpha = 0.025, beta = 0.2, sided = 1,
                                  typeOfDesign = cs$spending, informationRates = cs$info,
                                  typeBetaSpending = cs$beta_spending, bindingFutility = FALSE)
    fut <- c(d$futilityBounds, NA_real_)
  }
  # Inflation factor: maximum information relative to the fixed design with power 1 - beta.
  inflation <- getDesignCharacteristics(d)$inflationFactor
  rows[[length(rows) + 1]] <- data.frame(case = cs$id, look = seq_len(k), info = cs$info,
                                         efficacy_z = d$criticalValues,
                                         cumulative_alpha = d$alphaSpent,
                                         futility_z = fut, inflation_factor = inflation)
}
out <- do.call(rbind, rows)
write.csv(out, "tests/design/fixtures/gsd_rpact.csv", row.names = FALSE, quote = FALSE, na = "")
cat(sprintf("rpact %s\n", as.character(packageVersion("rpact"))))
print(out, digits = 10)
