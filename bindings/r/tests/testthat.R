library(testthat)
library(il2sim)
test_check("il2sim")
