test_that("il2sim_version is the CLI's --version", {
  expect_identical(il2sim_version(), cli_ok("--version")$out)
})
