# The vignette's code (vignettes/power.Rmd, extracted with knitr::purl) runs with a few replicates;
# its published numbers come from the default 400 (docs/r.md).

test_that("the power vignette runs end to end", {
  rmd <- system.file("doc", "power.Rmd", package = "il2sim")
  if (rmd == "") rmd <- test_path("..", "..", "vignettes", "power.Rmd")
  if (!file.exists(rmd)) rmd <- Sys.getenv("IL2SIM_VIGNETTE")
  expect_true(file.exists(rmd))
  code <- tempfile(fileext = ".R")
  knitr::purl(rmd, output = code, quiet = TRUE)
  env <- new.env()
  old <- Sys.getenv(c("IL2SIM_VIGNETTE_REPLICATES", "IL2SIM_VIGNETTE_THREADS"), unset = NA)
  Sys.setenv(IL2SIM_VIGNETTE_REPLICATES = "4", IL2SIM_VIGNETTE_THREADS = "1")
  on.exit(for (n in names(old)) {
    if (is.na(old[[n]])) Sys.unsetenv(n) else do.call(Sys.setenv, as.list(old[n]))
  })
  grDevices::pdf(NULL)
  source(code, local = env)
  grDevices::dev.off()
  expect_identical(env$answer$design, names(env$designs))
  expect_identical(nrow(env$answer), 3L)
  expect_true(all(env$answer$power >= 0 & env$answer$power <= 1))
  expect_true(all(env$answer$power_mc_se >= 0))
  expect_identical(env$answer$il2_not_started[1], 0)  # design A: everybody starts
  expect_gt(env$answer$il2_not_started[2], 0)         # B: never_start_probability
  expect_gt(env$answer$il2_not_started[3], 0)         # C: the attrition after registration
  # C randomizes every registrant: 200 registered for 200 randomized; A registers more.
  expect_identical(env$answer$registered[3], 200)
  expect_gt(env$answer$registered[1], 200)
  # survfit on the returned ADTTE: one curve per arm, every PFS row of the first replicate used.
  expect_identical(length(env$fit$strata), 2L)
  expect_identical(sum(env$fit$n), nrow(env$pfs))
  unlink(code)
})
