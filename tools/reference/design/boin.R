# Reference BOIN (Liu & Yuan 2015) boundaries for tests/design/test_boin.cpp, from the closed forms of
# the paper (eq. 2) and R's pbeta for the elimination rule (Beta(1,1) prior, eliminate when
# P(p > target | y, n) > 0.95 and n >= 3). Run from the repository root:
#   Rscript tools/reference/design/boin.R
# Writes tests/design/fixtures/boin_reference.csv. The tests never call R.
lambda <- function(target, phi1 = 0.6 * target, phi2 = 1.4 * target) {
  le <- log((1 - phi1) / (1 - target)) / log(target * (1 - phi1) / (phi1 * (1 - target)))
  ld <- log((1 - target) / (1 - phi2)) / log(phi2 * (1 - target) / (target * (1 - phi2)))
  c(le, ld)
}
rows <- list()
for (target in c(0.25, 0.30)) {
  l <- lambda(target)
  for (n in 1:30) {
    elim <- NA
    if (n >= 3) {
      for (y in 0:n) {
        if (1 - pbeta(target, y + 1, n - y + 1) > 0.95) { elim <- y; break }
      }
    }
    rows[[length(rows) + 1]] <- data.frame(target = target, lambda_e = l[1], lambda_d = l[2], n = n,
                                           escalate_if_dlt_at_most = floor(l[1] * n + 1e-10),
                                           deescalate_if_dlt_at_least = floor(l[2] * n - 1e-10) + 1,
                                           eliminate_if_dlt_at_least = elim)
  }
}
out <- do.call(rbind, rows)
write.csv(format(out, digits = 12), "tests/design/fixtures/boin_reference.csv", row.names = FALSE,
          quote = FALSE, na = "")
print(out[out$target == 0.3, ], digits = 6)
