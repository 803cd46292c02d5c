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
  re <- "^(-?)([0-9]*)\\.?([0-9]*)(?:[eE]([-+]?[0-9]+))?$"
  num <- grepl(re, s, perl = TRUE) & grepl("^-?[.]?[0-9]", s)  # "NA", "" and texts stay as they are
  x <- s[num]
  int <- sub(re, "\\2", x, perl = TRUE)
  digits <- paste0(int, sub(re, "\\3", x, perl = TRUE))
  exponent <- sub(re, "\\4", x, perl = TRUE)
  e <- ifelse(exponent == "", 0L, suppressWarnings(as.integer(exponent))) + nchar(int)
  stripped <- sub("^0*", "", digits)
  e <- e - (nchar(digits) - nchar(stripped))
  stripped <- sub("0+$", "", stripped)
  s[num] <- ifelse(stripped == "", "0",
                   paste0(sub(re, "\\1", x, perl = TRUE), "0.", stripped, "e", e))
  s
}

# The data frame `df` equals the CSV file `file` cell by cell: same column names in the same order,
# same rows; numbers identical (compared through their shortest round-trip texts, see
# il2sim:::.il2sim_shortest), texts identical, NA where the file has NA. `na`: how the file writes a
# missing number ("NA" in the views; sweep.csv leaves the cell empty).
expect_same_as_csv <- function(df, file, na = "NA") {
  csv <- utils::read.csv(file, colClasses = "character", na.strings = character(),
                         check.names = FALSE, encoding = "UTF-8")
  expect_identical(names(df), names(csv), info = file)
  expect_identical(nrow(df), nrow(csv), info = file)
  for (j in names(df)) {
    a <- df[[j]]
    text <- csv[[j]]
    if (is.character(a)) {
      got <- as.vector(a)  # without the label and units attributes
      got[is.na(got)] <- "NA"
      expect_identical(got, text, info = paste(file, j))
    } else {
      expect_true(is.numeric(a), info = paste(file, j))
      got <- canon(il2sim:::.il2sim_shortest(as.double(a)))
      text[text == na] <- "NA"
      expect_identical(got, canon(text), info = paste(file, j))
    }
  }
}

view_files <- c("adsl", "adtte", "adlb", "adae", "ex")
