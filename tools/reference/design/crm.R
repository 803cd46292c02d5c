# Reference one-parameter power-model CRM posterior for tests/design/test_crm.cpp, by R's integrate.
# Model: p_i(a) = skeleton_i ^ exp(a), prior a ~ N(0, 1.34) (variance 1.34, dfcrm's default).
# Run from the repository root:  Rscript tools/reference/design/crm.R
# Prints the values quoted in the test. The tests never call R.
skeleton <- c(0.05, 0.12, 0.25, 0.40, 0.55)
level <- c(1, 1, 1, 2, 2, 2, 3, 3, 3)        # dose of each patient
tox <- c(0, 0, 0, 0, 0, 1, 1, 0, 1)          # DLT of each patient
sigma2 <- 1.34
lik <- function(a) sapply(a, function(ai) {
  p <- skeleton[level]^exp(ai)
  prod(p^tox * (1 - p)^(1 - tox))
})
post <- function(a) lik(a) * dnorm(a, 0, sqrt(sigma2))
z <- integrate(post, -Inf, Inf, rel.tol = 1e-12)$value
a_mean <- integrate(function(a) a * post(a), -Inf, Inf, rel.tol = 1e-12)$value / z
p_mean <- sapply(skeleton, function(s)
  integrate(function(a) s^exp(a) * post(a), -Inf, Inf, rel.tol = 1e-12)$value / z)
cat(sprintf("posterior mean of a: %.10f\n", a_mean))
cat(sprintf("plug-in p_i = skeleton^exp(E[a]): %s\n", paste(sprintf("%.10f", skeleton^exp(a_mean)), collapse = " ")))
cat(sprintf("posterior mean of p_i: %s\n", paste(sprintf("%.10f", p_mean), collapse = " ")))
