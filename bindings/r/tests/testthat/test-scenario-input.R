# A scenario given as TOML text, as a file and as an R list gives the same patients.

small_toml <- paste(
  "format_version = 2",
  "name = \"small\"",
  "seed = 99",
  "",
  "[protocol]",
  "refusal_probability = 0.25",
  "",
  "[regimens.low]",
  "product = \"chiron\"",
  "phases = [",
  "  { name = \"induction\", role = \"induction\", route = \"civ\", dose = 4.5e6, unit = \"U/m2/day\", days = 4, setting = \"inpatient\" },",
  "]",
  "",
  "[[arms]]",
  "name = \"low\"",
  "cohort = \"adult-auto-nhl\"",
  "regimen = \"low\"",
  "", sep = "\n")

small_list <- list(
  format_version = 2L, name = "small", seed = 99,
  protocol = list(refusal_probability = 0.25),
  regimens = list(low = list(product = "chiron", phases = list(
    list(name = "induction", role = "induction", route = "civ", dose = 4.5e6,
         unit = "U/m2/day", days = 4, setting = "inpatient")))),
  arms = list(list(name = "low", cohort = "adult-auto-nhl", regimen = "low")))

test_that("an R list is written as the JSON of the same tree", {
  # The expected text follows the rules of ?il2sim (whole numbers as integers, 17 digits otherwise,
  # unnamed lists as arrays, NULL left out, I() for a one-element array).
  expect_identical(
    il2sim:::.il2sim_list_to_json(list(a = 1, b = 0.1, c = list(list(d = "x\"y")), e = NULL,
                                       f = I(2), g = c(TRUE, FALSE), h = 3L)),
    "{\"a\":1,\"b\":0.10000000000000001,\"c\":[{\"d\":\"x\\\"y\"}],\"f\":[2],\"g\":[true,false],\"h\":3}")
  expect_error(il2sim:::.il2sim_list_to_json(list(a = NA)), "a is NA")
  expect_error(il2sim:::.il2sim_list_to_json(list(1, 2)), "named list")
})

test_that("TOML text, a file and an R list give the CLI's cohort", {
  f <- tempfile(fileext = ".toml")
  writeLines(small_toml, f, sep = "")
  from_text <- il2sim_cohort(small_toml, arm = "low", patients = 4, seed = 1)
  from_file <- il2sim_cohort(f, arm = "low", patients = 4, seed = 1)
  from_list <- il2sim_cohort(small_list, arm = "low", patients = 4, seed = 1)
  dir <- tempfile()
  cli_ok(c("cohort", f, "--arm", "low", "--patients", "4", "--seed", "1", "--out", dir))
  for (v in view_files) {
    expect_same_as_csv(from_text[[v]], file.path(dir, paste0(v, ".csv")))
    expect_identical(from_file[[v]], from_text[[v]])
    expect_identical(from_list[[v]], from_text[[v]])
  }
  expect_identical(unique(from_list$adsl$ARM), "low")
  # A value out of range in the same text is refused with the CLI's message (exit 2 there).
  bad <- sub("refusal_probability = 0.25", "refusal_probability = 1.5", small_toml, fixed = TRUE)
  writeLines(bad, f, sep = "")
  err <- tryCatch(il2sim_cohort(bad, arm = "low", patients = 1), il2sim_error = function(e) e)
  expect_s3_class(err, "il2sim_error")
  expect_match(conditionMessage(err), "refusal_probability")
  res <- run_cli(c("cohort", f, "--arm", "low", "--patients", "1", "--out", tempfile()))
  expect_identical(res$status, 2L)
  expect_match(res$err, "refusal_probability")
  unlink(c(f, dir), recursive = TRUE)
})

test_that("set values become the CLI's VALUE text", {
  o <- il2sim:::.overrides(list(a = 200, b = 0.1, c = TRUE, d = "transplant", e = c(0.5, 1),
                                f = "two words", g = 1e20))
  expect_identical(o$paths, c("a", "b", "c", "d", "e", "f", "g"))
  expect_identical(o$values, c("200", "0.10000000000000001", "true", "transplant", "[0.5, 1]",
                               "\"two words\"", "1e+20"))
})
