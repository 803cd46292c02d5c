test_that("il2sim_sweep gives the CLI's sweep.csv", {
  res <- il2sim_sweep("phase3-autosct-nhl", seed = 4, replicates = 2,
                      grid = list("protocol.refusal_probability" = c(0, 0.25)),
                      set = list("stages.phase3.registered" = 50))
  dir <- tempfile()
  cli_ok(c("sweep", "phase3-autosct-nhl", "--grid", "protocol.refusal_probability=0,0.25",
           "--seed", "4", "--replicates", "2", "--set", "stages.phase3.registered=50",
           "--out", dir))
  expect_same_as_csv(res, file.path(dir, "sweep.csv"), na = "")
  expect_identical(sort(unique(res[["protocol.refusal_probability"]])), c(0, 0.25))
  unlink(dir, recursive = TRUE)
})
