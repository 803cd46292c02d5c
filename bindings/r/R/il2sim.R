# The R functions of il2sim: argument checks and formatting here, the engine through the C++ API
# (src/il2sim_r.cpp, include/il2sim/il2sim.hpp). Help: man/*.Rd.

# ---- arguments ---------------------------------------------------------------------------------

# A scenario as (kind, text) for the C++ API: NULL = the built-in default; an R list = JSON of the
# same tree; one string = an existing file, TOML text (it has a newline or '='), or a built-in name.
.scenario <- function(scenario) {
  if (is.null(scenario)) return(list(kind = "name_or_file", text = ""))
  if (is.list(scenario)) return(list(kind = "json", text = .il2sim_list_to_json(scenario)))
  if (!is.character(scenario) || length(scenario) != 1L || is.na(scenario)) {
    stop("scenario: expected a built-in name, a .toml file, TOML text or a named list",
         call. = FALSE)
  }
  if (file.exists(scenario)) return(list(kind = "name_or_file", text = scenario))
  if (grepl("\n", scenario, fixed = TRUE) || grepl("=", scenario, fixed = TRUE)) {
    return(list(kind = "toml", text = scenario))
  }
  list(kind = "name_or_file", text = scenario)
}

# One R value as the CLI's VALUE text of --set/--grid (a TOML value): numbers exactly (a whole
# number below 2^53 as R prints an integer, else 17 significant digits), TRUE/FALSE as true/false,
# strings as a plain word or a quoted TOML string; a vector of length > 1 (or I(x)) as a TOML array.
.toml_scalar <- function(x, what) {
  if (is.na(x)) stop(what, ": NA is not a value", call. = FALSE)
  if (is.logical(x)) return(if (x) "true" else "false")
  if (is.numeric(x)) {
    if (!is.finite(x)) stop(what, ": ", x, " is not a finite number", call. = FALSE)
    if (x == floor(x) && abs(x) < 2^53) return(sprintf("%.0f", x))
    return(sprintf("%.17g", x))
  }
  if (is.character(x)) {
    # A plain word as a CLI user types it (the CLI reads a word that is not a TOML value as a
    # string); anything else as a quoted TOML string.
    if (grepl("^[A-Za-z_][A-Za-z0-9_-]*$", x) && !(x %in% c("true", "false", "inf", "nan"))) {
      return(x)
    }
    s <- gsub("\\", "\\\\", enc2utf8(x), fixed = TRUE)
    s <- gsub("\"", "\\\"", s, fixed = TRUE)
    return(paste0("\"", s, "\""))
  }
  stop(what, ": a ", class(x)[1], " is not a value (allowed: number, logical, character)",
       call. = FALSE)
}

.toml_value <- function(x, what) {
  if (is.factor(x)) x <- as.character(x)
  if (!is.atomic(x) || is.null(x)) {
    stop(what, ": expected a number, logical or character vector", call. = FALSE)
  }
  if (length(x) == 1L && !inherits(x, "AsIs")) return(.toml_scalar(x, what))
  items <- vapply(seq_along(x), function(i) .toml_scalar(unclass(x)[i], what), "")
  paste0("[", paste(items, collapse = ", "), "]")
}

# set = list(PATH = value, ...) → paths and VALUE texts, in order.
.overrides <- function(set) {
  if (is.null(set) || length(set) == 0L) return(list(paths = character(), values = character()))
  if (!is.list(set) || is.null(names(set)) || any(names(set) == "")) {
    stop("set: expected a named list, set = list(PATH = value, ...)", call. = FALSE)
  }
  values <- vapply(seq_along(set), function(i) {
    .toml_value(set[[i]], paste0("set$`", names(set)[i], "`"))
  }, "")
  list(paths = names(set), values = values)
}

# NULL → character(0); a whole number 0..2^53 or a string of digits → its decimal text (the API
# checks the range, 0 to 2^63 - 1, as --seed does).
.seed <- function(seed) {
  if (is.null(seed)) return(character())
  if (is.character(seed) && length(seed) == 1L && grepl("^[0-9]+$", seed)) return(seed)
  if (is.numeric(seed) && length(seed) == 1L && !is.na(seed) && seed >= 0 &&
      seed == floor(seed) && seed <= 2^53) {
    return(sprintf("%.0f", seed))
  }
  stop("seed: expected one whole number >= 0 (a string of digits for seeds above 2^53)",
       call. = FALSE)
}

# NULL → numeric(0); else one number (whole if `whole`: then within ±2^53, so that C++ converts it
# exactly; the engine checks the range it allows, with the CLI's message).
.optional_number <- function(x, what, whole = FALSE) {
  if (is.null(x)) return(numeric())
  if (!is.numeric(x) || length(x) != 1L || is.na(x) || !is.finite(x) ||
      (whole && (x != floor(x) || abs(x) > 2^53))) {
    stop(what, ": expected one ", if (whole) "whole " else "", "number", call. = FALSE)
  }
  as.numeric(x)
}

# One whole number >= 1 that R's integers hold (the engine checks its own limit, 1 to 1024).
.threads <- function(threads) {
  if (!is.numeric(threads) || length(threads) != 1L || is.na(threads) || threads < 1 ||
      threads != floor(threads) || threads > .Machine$integer.max) {
    stop("threads: expected one whole number >= 1", call. = FALSE)
  }
  as.integer(threads)
}

.string <- function(x, what) {
  if (is.null(x)) return("")
  if (!is.character(x) || length(x) != 1L || is.na(x)) {
    stop(what, ": expected one string", call. = FALSE)
  }
  x
}

# The C++ side returns an il2sim_error condition for the engine's user errors: signal it here, with
# the R call that caused it.
.checked <- function(result, call) {
  if (inherits(result, "il2sim_error")) {
    result$call <- call
    stop(result)
  }
  result
}

# ---- the functions -------------------------------------------------------------------------------

il2sim_run <- function(scenario = NULL, seed = NULL, replicates = NULL, set = list(),
                       threads = 1L, patient_data = "first") {
  s <- .scenario(scenario)
  o <- .overrides(set)
  r <- .il2sim_run(s$kind, s$text, .seed(seed),
                   .optional_number(replicates, "replicates", whole = TRUE), o$paths, o$values,
                   .threads(threads), .string(patient_data, "patient_data"))
  .checked(r, sys.call())
}

il2sim_cohort <- function(scenario = NULL, arm = NULL, patients = 100L, days = NULL, seed = NULL,
                          set = list(), threads = 1L) {
  s <- .scenario(scenario)
  o <- .overrides(set)
  if (!is.numeric(patients) || length(patients) != 1L || is.na(patients) ||
      patients != floor(patients) || patients < 1 || patients > 2^53) {
    stop("patients: expected one whole number >= 1", call. = FALSE)
  }
  r <- .il2sim_cohort(s$kind, s$text, .string(arm, "arm"), as.numeric(patients),
                      .optional_number(days, "days"), .seed(seed), o$paths, o$values,
                      .threads(threads))
  .checked(r, sys.call())
}

il2sim_trajectory <- function(scenario = NULL, arm = NULL, patient = NULL, typical = is.null(patient),
                              days = NULL, step = NULL, seed = NULL, set = list(), mode = NULL) {
  s <- .scenario(scenario)
  o <- .overrides(set)
  if (!is.logical(typical) || length(typical) != 1L || is.na(typical)) {
    stop("typical: expected TRUE or FALSE", call. = FALSE)
  }
  r <- .il2sim_trajectory(s$kind, s$text, .string(arm, "arm"),
                          .optional_number(patient, "patient", whole = TRUE), typical,
                          .optional_number(days, "days"), .optional_number(step, "step"),
                          .seed(seed), o$paths, o$values,
                          if (is.null(mode)) character() else .string(mode, "mode"))
  .checked(r, sys.call())
}

il2sim_params <- function() {
  .checked(.il2sim_params(), sys.call())
}

il2sim_sweep <- function(scenario = NULL, grid, seed = NULL, replicates = NULL, set = list(),
                         threads = 1L) {
  s <- .scenario(scenario)
  o <- .overrides(set)
  if (missing(grid) || !is.list(grid) || length(grid) == 0L || is.null(names(grid)) ||
      any(names(grid) == "")) {
    stop("grid: expected a named list, grid = list(PATH = c(V1, V2, ...), ...)", call. = FALSE)
  }
  values <- lapply(seq_along(grid), function(i) {
    v <- grid[[i]]
    if (is.factor(v)) v <- as.character(v)
    if (!is.atomic(v) || length(v) == 0L) {
      stop("grid$`", names(grid)[i], "`: expected a vector of values", call. = FALSE)
    }
    vapply(seq_along(v), function(k) {
      .toml_scalar(unclass(v)[k], paste0("grid$`", names(grid)[i], "`"))
    }, "")
  })
  r <- .il2sim_sweep(s$kind, s$text, names(grid), values, .seed(seed),
                     .optional_number(replicates, "replicates", whole = TRUE), o$paths, o$values,
                     .threads(threads))
  .checked(r, sys.call())
}

il2sim_version <- function() {
  .il2sim_version()
}
