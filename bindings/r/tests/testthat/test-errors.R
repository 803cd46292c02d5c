# The engine's user errors are R errors of class il2sim_error carrying the CLI's message.

cli_message <- function(args) {
  res <- run_cli(c(args, "--out", tempfile()))
  expect_identical(res$status, 2L)  # the CLI's exit code for a user error
  sub("^il2sim: error: ", "", res$err)
}

test_that("an unknown --set path is the CLI's error", {
  err <- tryCatch(il2sim_run("phase3-autosct-nhl", replicates = 1,
                             set = list("stages.phase3.registerd" = 10)),
                  il2sim_error = function(e) e)
  expect_s3_class(err, "il2sim_error")
  expect_identical(conditionMessage(err),
                   cli_message(c("run", "phase3-autosct-nhl", "--replicates", "1",
                                 "--set", "stages.phase3.registerd=10")))
  expect_match(conditionMessage(err), "did you mean 'registered'")
})

test_that("an unknown scenario name is the CLI's error", {
  err <- tryCatch(il2sim_cohort("no-such-scenario", arm = "il2", patients = 1),
                  il2sim_error = function(e) e)
  expect_s3_class(err, "il2sim_error")
  expect_identical(conditionMessage(err),
                   cli_message(c("cohort", "no-such-scenario", "--arm", "il2", "--patients", "1")))
})

test_that("an unknown grid path is refused", {
  expect_error(il2sim_sweep("phase3-autosct-nhl", grid = list("stages.phase3.nope" = 1)),
               class = "il2sim_error")
})

test_that("options out of the engine's range are the CLI's errors", {
  expect_cli_error <- function(expr, args) {
    err <- tryCatch(expr, il2sim_error = function(e) e)
    expect_s3_class(err, "il2sim_error")
    expect_identical(conditionMessage(err), cli_message(args))
  }
  expect_cli_error(il2sim_run("phase3-autosct-nhl", replicates = 0),
                   c("run", "phase3-autosct-nhl", "--replicates", "0"))
  expect_cli_error(il2sim_run("phase3-autosct-nhl", replicates = 1, threads = 2000),
                   c("run", "phase3-autosct-nhl", "--replicates", "1", "--threads", "2000"))
  expect_cli_error(il2sim_run("phase3-autosct-nhl", replicates = 1,
                              seed = "9223372036854775808"),  # 2^63
                   c("run", "phase3-autosct-nhl", "--replicates", "1",
                     "--seed", "9223372036854775808"))
  expect_cli_error(il2sim_trajectory("chiron-regimen", arm = "il2", patient = 0),
                   c("trajectory", "chiron-regimen", "--arm", "il2", "--patient", "0"))
})

test_that("arguments R cannot pass on are refused in R", {
  expect_error(il2sim_run(set = list(1)), "named list")
  expect_error(il2sim_run(seed = -1), "seed")
  expect_error(il2sim_run(seed = 1.5), "seed")
  expect_error(il2sim_run(replicates = 2.5), "replicates")
  expect_error(il2sim_run(replicates = 1e300), "replicates")
  expect_error(il2sim_run(threads = 1e10), "threads")
  expect_error(il2sim_run(set = list(a = NA)), "NA")
  expect_error(il2sim_run(set = list(a = Inf)), "finite")
  expect_error(il2sim_cohort(patients = 0), "patients")
  expect_error(il2sim_sweep("phase3-autosct-nhl"), "grid")
  expect_error(il2sim_run(scenario = 3), "scenario")
})
