test_that("il2sim_cohort gives the CLI's views and summary.json", {
  res <- il2sim_cohort("chiron-regimen", arm = "il2", patients = 6, seed = 3)
  dir <- tempfile()
  cli_ok(c("cohort", "chiron-regimen", "--arm", "il2", "--patients", "6", "--seed", "3",
           "--out", dir))
  for (v in view_files) expect_same_as_csv(res[[v]], file.path(dir, paste0(v, ".csv")))
  expect_identical(length(unique(res$adsl$USUBJID)), 6L)
  expect_identical(res$summary_json,
                   readChar(file.path(dir, "summary.json"), file.size(file.path(dir, "summary.json")),
                            useBytes = TRUE))
  unlink(dir, recursive = TRUE)
})

test_that("il2sim_cohort passes days and set", {
  res <- il2sim_cohort("chiron-regimen", arm = "observation", patients = 3, days = 200, seed = 5,
                       set = list("protocol.refusal_probability" = 0.5))
  dir <- tempfile()
  cli_ok(c("cohort", "chiron-regimen", "--arm", "observation", "--patients", "3", "--days", "200",
           "--seed", "5", "--set", "protocol.refusal_probability=0.5", "--out", dir))
  for (v in view_files) expect_same_as_csv(res[[v]], file.path(dir, paste0(v, ".csv")))
  unlink(dir, recursive = TRUE)
})
