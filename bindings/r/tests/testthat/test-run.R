# il2sim_run() against `il2sim run` for the same scenario, options and seed: every view cell by
# cell, summary.json and scenario.toml byte for byte.

test_that("il2sim_run gives the CLI's views, summary.json and scenario.toml", {
  set <- list("stages.phase3.registered" = 80, "protocol.refusal_probability" = 0.2)
  res <- il2sim_run("phase3-autosct-nhl", seed = 7, replicates = 3, set = set,
                    patient_data = "all")
  dir <- tempfile()
  cli_ok(c("run", "phase3-autosct-nhl", "--seed", "7", "--replicates", "3",
           "--set", "stages.phase3.registered=80", "--set", "protocol.refusal_probability=0.2",
           "--patient-data", "all", "--out", dir))
  for (v in view_files) expect_same_as_csv(res[[v]], file.path(dir, paste0(v, ".csv")))
  expect_gt(nrow(res$adtte), 0)
  expect_identical(res$summary_json,
                   readChar(file.path(dir, "summary.json"), file.size(file.path(dir, "summary.json")),
                            useBytes = TRUE))
  expect_identical(res$scenario_toml,
                   readChar(file.path(dir, "scenario.toml"), file.size(file.path(dir, "scenario.toml")),
                            useBytes = TRUE))
  unlink(dir, recursive = TRUE)
})

test_that("the run's typed columns carry labels and units", {
  res <- il2sim_run("phase3-autosct-nhl", seed = 7, replicates = 1,
                    set = list("stages.phase3.registered" = 30))
  expect_type(res$adtte$AVAL, "double")
  expect_type(res$adtte$CNSR, "integer")
  expect_type(res$adtte$PARAMCD, "character")
  expect_true(nzchar(attr(res$adtte$AVAL, "label")))
  expect_false(is.null(attr(res$adsl$AGE, "units")))
  expect_identical(names(res$summary), c("stage", "output", "value", "mc_se"))
  expect_true(all(c("summary", "adsl", "adtte", "adlb", "adae", "ex") %in% names(res)))
})

# The summary table holds the rows `il2sim sweep` writes for the stage's outputs: a sweep whose single
# grid point sets a field to the value it already has runs the same trials.
test_that("il2sim_run's summary equals the CLI's sweep rows at the same point", {
  res <- il2sim_run("phase3-autosct-nhl", seed = 11, replicates = 2,
                    set = list("stages.phase3.registered" = 60))
  dir <- tempfile()
  cli_ok(c("sweep", "phase3-autosct-nhl", "--grid", "stages.phase3.registered=60", "--seed", "11",
           "--replicates", "2", "--out", dir))
  csv <- utils::read.csv(file.path(dir, "sweep.csv"), colClasses = "character",
                         na.strings = character(), check.names = FALSE)
  expect_identical(as.vector(res$summary$output), csv$output)
  expect_identical(as.vector(res$summary$stage), csv$stage)
  # sweep.csv leaves a missing number's cell empty (an output without a Monte Carlo SE).
  na <- function(text) ifelse(text == "", "NA", text)
  expect_identical(canon(il2sim:::.il2sim_shortest(res$summary$value)), canon(na(csv$value)))
  expect_identical(canon(il2sim:::.il2sim_shortest(res$summary$mc_se)), canon(na(csv$mc_se)))
  expect_true(anyNA(res$summary$mc_se))
  unlink(dir, recursive = TRUE)
})
