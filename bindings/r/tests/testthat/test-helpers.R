# The comparison helper itself must be able to fail (else the tests below prove nothing).
test_that("canon() identifies equal numbers written differently and only those", {
  expect_identical(canon(c("1e-05", "0.00001", "1.0e-5")), rep("0.1e-4", 3))
  expect_identical(canon(c("120", "1.2e2", "120.000")), rep("0.12e3", 3))
  expect_false(canon("137.1986419403827") == canon("137.19864194038271"))
  expect_identical(canon(c("0", "NA", "-2.5", "")), c("0", "NA", "-0.25e1", ""))
})

test_that("shortest() gives the shortest text that reads back as the same double", {
  expect_identical(il2sim:::.il2sim_shortest(c(0.1, 1 / 3, 28, NA, 1e300)),
                   c("0.1", "0.3333333333333333", "28", "NA", "1e+300"))
  # Adjacent doubles get different texts.
  x <- 137.1986419403827
  expect_false(il2sim:::.il2sim_shortest(x) == il2sim:::.il2sim_shortest(x * (1 + 2^-52)))
})
