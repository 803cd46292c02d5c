// `il2sim schema` (hidden): the generated column lists of results.sqlite's tables, from the field
// tables. `--markdown` prints them; `--update FILE` rewrites FILE's generated blocks;
// `--check FILE` fails (exit 2) when FILE's blocks differ from the generated text (CTest
// `results_db_doc_in_sync`).
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/app.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "output/results_db.hpp"

namespace il2sim::cli {
namespace {

struct SchemaArgs {
  bool markdown = false;
  std::string update;
  std::string check;
};

std::string read_doc(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw UserError({path, std::nullopt, std::nullopt, ""}, "cannot read the file",
                    "docs/results-database.md of the source tree");
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void run_schema(const SchemaArgs& a) {
  if (!a.update.empty()) {
    const std::string doc = read_doc(a.update);
    core::write_file_atomically(a.update, output::with_generated_columns(doc, a.update));
  }
  if (!a.check.empty()) {
    const std::string doc = read_doc(a.check);
    if (output::with_generated_columns(doc, a.check) != doc) {
      throw UserError({a.check, std::nullopt, std::nullopt, ""},
                      "the column lists differ from the field tables",
                      fmt::format("regenerate with: il2sim schema --update {}", a.check));
    }
  }
  if (a.markdown || (a.update.empty() && a.check.empty())) {
    const std::string text = output::schema_markdown();
    std::fwrite(text.data(), 1, text.size(), stdout);
  }
}

}  // namespace

void register_schema(CLI::App& app) {
  auto a = std::make_shared<SchemaArgs>();
  auto* cmd = app.add_subcommand(
      "schema", "Column lists of results.sqlite's generated tables (for the documentation)");
  cmd->group("");  // hidden: a maintainer's tool
  cmd->add_flag("--markdown", a->markdown, "Print every generated table's columns as Markdown");
  cmd->add_option("--update", a->update, "Rewrite the generated column blocks of this file");
  cmd->add_option("--check", a->check,
                  "Fail when this file's generated column blocks differ from the tables");
  cmd->callback([a] { run_schema(*a); });
}

}  // namespace il2sim::cli
