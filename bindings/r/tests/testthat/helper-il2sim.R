# Helpers of the tests: the il2sim command line (IL2SIM_CLI, set by CTest to the build's binary) run
# into a temporary directory, and a cell-by-cell comparison of a data frame with the CLI's CSV file.

cli_path <- function() {
  path <- Sys.getenv("IL2SIM_CLI")
  if (path == "") path <- file.path(Sys.getenv("IL2SIM_BUILD_DIR", "../../../../build"), "il2sim")
  if (!file.exists(path)) {
    stop("the il2sim binary is needed (", path, "): set IL2SIM_CLI or IL2SIM_BUILD_DIR")
  }
  normalizePath(path)
}

# Runs `il2sim ARGS`; returns the exit status, standard output and standard error.
run_cli <- function(args) {
  out <- tempfile()
  err <- tempfile()
  status <- system2(cli_path(), shQuote(args), stdout = out, stderr = err)
  res <- list(status = status, out = readLines(out, warn = FALSE),
              err = paste(readLines(err, warn = FALSE), collapse = "\n"))
  unlink(c(out, err))
  res
}

cli_ok <- function(args) {
  res <- run_cli(args)
  if (res$status != 0) stop("il2sim ", paste(args, collapse = " "), " failed: ", res$err)
  res
}

# A decimal number's text in one canonical form (sign, significant digits without leading or
# trailing zeros, exponent), so that "1e-05" and "0.00001" compare equal; "NA" stays "NA".
canon <- function(s) {
  out <- s
  m <- regmatches(s, regexec("^(-?)([0-9]*)\\.?([0-9]*)(?:[eE]([-+]?[0-9]+))?$", s, perl = TRUE))
  for (i in seq_along(s)) {
    p <- m[[i]]
    if (length(p) == 0L) next
    digits <- paste0(p[3], p[4])
    e <- (if (p[5] == "") 0L else as.integer(p[5])) + nchar(p[3])
    lead <- attr(regexpr("^0*", digits), "match.length")
    digits <- substring(digits, lead + 1L)
    e <- e - lead
    digits <- sub("0+$", "", digits)
    out[i] <- if (digits == "") "0" else paste0(p[2], "0.", digits, "e", e)
  }
  out
}

# The data frame `df` equals the CSV file `file` cell by cell: same column names in the same order,
# same rows; numbers identical (compared through their shortest round-trip texts, see
# il2sim:::.il2sim_shortest), texts identical, NA where the file has NA.
expect_same_as_csv <- function(df, file) {
  csv <- utils::read.csv(file, colClasses = "character", na.strings = character(),
                         check.names = FALSE, encoding = "UTF-8")
  expect_identical(names(df), names(csv), info = file)
  expect_identical(nrow(df), nrow(csv), info = file)
  for (j in names(df)) {
    a <- df[[j]]
    text <- csv[[j]]
    if (is.character(a)) {
      got <- ifelse(is.na(a), "NA", a)
      expect_identical(got, text, info = paste(file, j))
    } else {
      expect_true(is.numeric(a), info = paste(file, j))
      got <- canon(il2sim:::.il2sim_shortest(as.double(a)))
      expect_identical(got, canon(text), info = paste(file, j))
    }
  }
}

view_files <- c("adsl", "adtte", "adlb", "adae", "ex")
