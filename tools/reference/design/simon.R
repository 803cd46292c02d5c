# Reference Simon (1989) two-stage designs for tests/design/test_simon.cpp, by a brute-force search
# written directly from Simon's equation (1) with R's dbinom/pbinom (an implementation independent of
# src/design/simon.cpp). Run from the repository root:  Rscript tools/reference/design/simon.R
# Writes tests/design/fixtures/simon_bruteforce.csv. The tests never call R.
#
# Design (r1, n1, r, n): stop for futility if X1 <= r1 of n1; declare the drug promising if
# X1 + X2 > r of n. Feasible: P(promising | p0) <= alpha and P(promising | p1) >= 1 - beta.
# Optimal: minimum EN(p0); minimax: minimum n, then minimum EN(p0) among those.
reject_prob <- function(r1, n1, r, n, p) {
  x1 <- (r1 + 1):n1
  sum(dbinom(x1, n1, p) * pbinom(r - x1, n - n1, p, lower.tail = FALSE))
}

search <- function(p0, p1, alpha, beta, nmax) {
  best <- NULL
  for (n in 2:nmax) {
    for (n1 in 1:(n - 1)) {
      for (r1 in 0:(n1 - 1)) {
        # smallest r with type I error <= alpha maximizes power among the feasible r
        for (r in r1:(n - 1)) {
          a <- reject_prob(r1, n1, r, n, p0)
          if (a <= alpha) break
        }
        if (a > alpha) next
        pw <- reject_prob(r1, n1, r, n, p1)
        if (pw < 1 - beta) next
        pet <- pbinom(r1, n1, p0)
        en <- n1 + (1 - pet) * (n - n1)
        best <- rbind(best, data.frame(r1 = r1, n1 = n1, r = r, n = n, en_p0 = en, pet_p0 = pet,
                                       alpha = a, power = pw))
      }
    }
  }
  opt <- best[which.min(best$en_p0), ]
  mm_all <- best[best$n == min(best$n), ]
  mm <- mm_all[which.min(mm_all$en_p0), ]
  rbind(cbind(design = "optimal", opt), cbind(design = "minimax", mm))
}

cases <- data.frame(p0 = c(0.05, 0.10, 0.20, 0.30), p1 = c(0.25, 0.30, 0.40, 0.50),
                    alpha = 0.05, beta = 0.20, nmax = c(30, 40, 50, 55))
rows <- list()
for (i in seq_len(nrow(cases))) {
  cs <- cases[i, ]
  res <- search(cs$p0, cs$p1, cs$alpha, cs$beta, cs$nmax)
  rows[[i]] <- cbind(p0 = cs$p0, p1 = cs$p1, alpha_target = cs$alpha, beta_target = cs$beta, res)
}
out <- do.call(rbind, rows)
write.csv(format(out, digits = 12), "tests/design/fixtures/simon_bruteforce.csv", row.names = FALSE,
          quote = FALSE)
print(out, digits = 6)
