# The CLI's CSV rounds day to 10 and the other columns to 8 significant digits (il2sim.hpp); the data
# frame holds the full doubles, compared here after the same rounding (C's %.10g / %.8g).
expect_same_as_trajectory_csv <- function(df, file) {
  csv <- utils::read.csv(file, colClasses = "character", na.strings = character(),
                         check.names = FALSE)
  expect_identical(names(df), names(csv))
  expect_identical(nrow(df), nrow(csv))
  for (j in names(df)) {
    expect_type(df[[j]], "double")
    got <- sprintf(if (j == "day") "%.10g" else "%.8g", df[[j]])
    expect_identical(canon(got), canon(csv[[j]]), info = paste(file, j))
  }
}

test_that("il2sim_trajectory gives the CLI's CSV for the typical patient", {
  res <- il2sim_trajectory("chiron-regimen", days = 20, step = 0.5)
  f <- tempfile(fileext = ".csv")
  cli_ok(c("trajectory", "chiron-regimen", "--typical", "--days", "20", "--step", "0.5",
           "--out", f))
  expect_same_as_trajectory_csv(res, f)
  expect_identical(nrow(res), 41L)  # days 0, 0.5, ..., 20
  expect_identical(attr(res$C, "units"), "IU/mL")  # `il2sim trajectory --help`: C (IU/mL)
  unlink(f)
})

test_that("il2sim_trajectory gives the CLI's CSV for virtual patient K", {
  res <- il2sim_trajectory("chiron-regimen", arm = "il2", patient = 2, seed = 5, days = 60,
                           set = list("regimens.chiron.phases.0.dose" = 6e6))
  f <- tempfile(fileext = ".csv")
  cli_ok(c("trajectory", "chiron-regimen", "--arm", "il2", "--patient", "2", "--seed", "5",
           "--days", "60", "--set", "regimens.chiron.phases.0.dose=6000000", "--out", f))
  expect_same_as_trajectory_csv(res, f)
  unlink(f)
})
