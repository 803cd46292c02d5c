#pragma once
/// @file html.hpp
/// A self-contained HTML page: one file with its CSS embedded, figures as inline SVG, no scripts,
/// no external resources (no http:// or https:// anywhere; links are in-page anchors). Pure:
/// callers pass text and numbers; the page knows nothing of the model or of trials.
///
/// Usage:
///   Page page("il2sim report");
///   page.begin_section("survival", "Survival");
///   page.figure(km_figure, "Kaplan–Meier estimates of PFS by arm.");
///   page.table(toxicity_table);
///   page.end_section();
///   core::write_file_atomically(path, page.render());
/// Text arguments are plain text and are escaped; only figures are inserted as markup.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "report/flow.hpp"
#include "report/svg_plot.hpp"

namespace il2sim::report {

/// HTML escaping of text and attribute values (the same five entities as xml_escape).
[[nodiscard]] std::string html_escape(std::string_view text);

enum class Align { kLeft, kRight, kCenter };

/// A data table. `groups` is an optional header row above `header` whose cells span columns (e.g.
/// "Arm A" over its grades); the spans must add up to the column count. `align` is per column
/// (default: first column left, the others right, for numbers).
struct Table {
  std::string caption;
  struct Group {
    std::string text;
    int span = 1;
  };
  std::vector<Group> groups;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<Align> align;
  std::string note;  ///< a footnote under the table (e.g. what the counts are)
};

/// Builds one page. Sections may not nest; every begun section must be ended before render().
class Page {
 public:
  explicit Page(std::string title);

  /// Opens a <section> with an anchor id ([A-Za-z][A-Za-z0-9_-]*) and an <h2> heading; the section
  /// is listed in the page's table of contents.
  void begin_section(std::string_view id, std::string_view heading);
  void end_section();
  /// An <h3> inside the current section.
  void heading(std::string_view text);
  void paragraph(std::string_view text);
  /// A two-column table of names and values (scenario, seed, version, run time).
  void key_values(std::string_view caption,
                  const std::vector<std::pair<std::string, std::string>>& rows);
  void table(const Table& table);
  /// A figure with a caption; its id must be unique in the page. With a figure-data folder set,
  /// the caption ends with "Data: <folder>/<id>.csv." and figure_data() holds figure_csv(figure).
  void figure(const Figure& figure, std::string_view caption);
  /// A flow diagram (flow.hpp) with a caption, as figure(); its data is flow_csv(chart).
  void flow(const FlowChart& chart, std::string_view caption);
  /// Names the folder (relative to the page) where the caller writes the data of each figure;
  /// empty (the default): no data is kept.
  void set_figure_data_folder(std::string folder);
  /// The data of each figure added since the folder was set, in page order: (path relative to the
  /// page, "<folder>/<id>.csv"; the CSV text).
  [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& figure_data() const {
    return data_;
  }

  /// The complete document.
  [[nodiscard]] std::string render() const;

 private:
  std::string title_;
  std::string body_;
  std::vector<std::pair<std::string, std::string>> toc_;  ///< (id, heading)
  std::vector<std::string> ids_;                          ///< section and figure ids used
  bool in_section_ = false;
  std::string data_folder_;
  std::vector<std::pair<std::string, std::string>> data_;

  void claim_id(std::string_view id);
  void add_figure(std::string_view id, const std::string& svg, std::string_view caption,
                  std::string csv);
};

}  // namespace il2sim::report
