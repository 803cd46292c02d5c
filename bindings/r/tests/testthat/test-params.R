# il2sim_params() against `il2sim params --json`: every column the table shares with the JSON's
# parameter objects, value by value. The JSON is pretty-printed one key per line (nlohmann's dump(2)),
# so each key's values are read with a regular expression (no JSON package needed).

json_key_values <- function(lines, key) {
  pattern <- paste0("^\\s*\"", key, "\": (.*?),?$")
  hits <- grep(pattern, lines, value = TRUE, perl = TRUE)
  sub(pattern, "\\1", hits, perl = TRUE)
}

json_text <- function(v) {
  expect_false(any(grepl("\\\\[^\"\\\\]", v)))  # only \" and \\ escapes occur in these texts
  v <- sub("^\"(.*)\"$", "\\1", v)
  gsub("\\\\([\"\\\\])", "\\1", v)
}

test_that("il2sim_params gives the CLI's parameter table", {
  p <- il2sim_params()
  lines <- cli_ok(c("params", "--json"))$out
  names_json <- json_text(json_key_values(lines, "name"))
  expect_identical(as.vector(p$name), names_json)
  expect_gt(nrow(p), 50)
  shared <- intersect(names(p), unique(sub("^\\s*\"([^\"]+)\":.*$", "\\1",
                                           grep("^\\s*\"[^\"]+\": ", lines, value = TRUE))))
  expect_true(all(c("name", "default", "unit") %in% shared))
  for (j in shared) {
    v <- json_key_values(lines, j)
    expect_identical(length(v), nrow(p), info = j)
    if (is.character(p[[j]])) {
      expect_identical(as.vector(p[[j]]), json_text(v), info = j)
    } else {
      got <- canon(il2sim:::.il2sim_shortest(as.double(p[[j]])))
      expect_identical(got, canon(ifelse(v == "null", "NA", v)), info = j)
    }
  }
})
