#include "report/html.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "core/error.hpp"

namespace il2sim::report {

namespace {

constexpr std::string_view kCss = R"css(
:root { color-scheme: light; }
body { font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; font-size: 15px;
       line-height: 1.45; color: #222; background: #fff; margin: 0 auto; padding: 16px 24px 48px;
       max-width: 1100px; }
h1 { font-size: 26px; margin: 8px 0 12px; }
h2 { font-size: 21px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid #ddd; }
h3 { font-size: 17px; margin: 20px 0 8px; }
nav ol { margin: 4px 0 16px; padding-left: 22px; }
nav a { color: #0072B2; }
figure { margin: 16px 0 24px; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 14px; color: #444; margin-top: 6px; max-width: 760px; }
table { border-collapse: collapse; margin: 12px 0 6px; font-size: 14px;
        font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-weight: bold; padding-bottom: 6px; }
th, td { border: 1px solid #ccc; padding: 4px 10px; }
thead th { background: #f1f1f1; }
th.group { text-align: center; }
td.l, th.l { text-align: left; }
td.r, th.r { text-align: right; }
td.c, th.c { text-align: center; }
table.kv th { text-align: left; background: #f7f7f7; font-weight: normal; color: #444; }
p.note { font-size: 13px; color: #555; margin: 2px 0 16px; }
@media print { body { max-width: none; } h2 { break-after: avoid; } figure { break-inside: avoid; } }
)css";

bool valid_id(std::string_view id) {
  if (id.empty() || !std::isalpha(static_cast<unsigned char>(id[0]))) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

std::string_view align_class(Align a) {
  switch (a) {
    case Align::kLeft:
      return "l";
    case Align::kRight:
      return "r";
    case Align::kCenter:
      return "c";
  }
  return "l";
}

}  // namespace

std::string html_escape(std::string_view text) {
  return xml_escape(text);
}

Page::Page(std::string title) : title_(std::move(title)) {}

void Page::claim_id(std::string_view id) {
  IL2SIM_ASSERT(valid_id(id), "page ids must match [A-Za-z][A-Za-z0-9_-]*");
  IL2SIM_ASSERT(std::find(ids_.begin(), ids_.end(), id) == ids_.end(), "page ids must be unique");
  ids_.emplace_back(id);
}

void Page::begin_section(std::string_view id, std::string_view heading) {
  IL2SIM_ASSERT(!in_section_, "sections do not nest: end the open section first");
  claim_id(id);
  in_section_ = true;
  toc_.emplace_back(std::string(id), std::string(heading));
  body_ += fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n", id, html_escape(heading));
}

void Page::end_section() {
  IL2SIM_ASSERT(in_section_, "end_section without begin_section");
  in_section_ = false;
  body_ += "</section>\n";
}

void Page::heading(std::string_view text) {
  body_ += fmt::format("<h3>{}</h3>\n", html_escape(text));
}

void Page::paragraph(std::string_view text) {
  body_ += fmt::format("<p>{}</p>\n", html_escape(text));
}

void Page::key_values(std::string_view caption,
                      const std::vector<std::pair<std::string, std::string>>& rows) {
  body_ += "<table class=\"kv\">\n";
  if (!caption.empty()) body_ += fmt::format("<caption>{}</caption>\n", html_escape(caption));
  body_ += "<tbody>\n";
  for (const auto& [k, v] : rows) {
    body_ += fmt::format("<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n", html_escape(k),
                         html_escape(v));
  }
  body_ += "</tbody>\n</table>\n";
}

void Page::table(const Table& t) {
  const std::size_t cols = t.header.size();
  IL2SIM_ASSERT(cols > 0, "a table needs a header");
  IL2SIM_ASSERT(t.align.empty() || t.align.size() == cols, "align needs one entry per column");
  auto align = [&](std::size_t c) {
    if (!t.align.empty()) return t.align[c];
    return c == 0 ? Align::kLeft : Align::kRight;
  };
  body_ += "<table>\n";
  if (!t.caption.empty()) body_ += fmt::format("<caption>{}</caption>\n", html_escape(t.caption));
  body_ += "<thead>\n";
  if (!t.groups.empty()) {
    int span = 0;
    body_ += "<tr>";
    for (const auto& g : t.groups) {
      IL2SIM_ASSERT(g.span >= 1, "a header group spans at least one column");
      span += g.span;
      body_ += fmt::format("<th class=\"group\" colspan=\"{}\" scope=\"colgroup\">{}</th>", g.span,
                           html_escape(g.text));
    }
    body_ += "</tr>\n";
    IL2SIM_ASSERT(static_cast<std::size_t>(span) == cols, "header groups must span every column");
  }
  body_ += "<tr>";
  for (std::size_t c = 0; c < cols; ++c) {
    body_ += fmt::format("<th class=\"{}\" scope=\"col\">{}</th>", align_class(align(c)),
                         html_escape(t.header[c]));
  }
  body_ += "</tr>\n</thead>\n<tbody>\n";
  for (const auto& row : t.rows) {
    IL2SIM_ASSERT(row.size() == cols, "every table row needs one cell per column");
    body_ += "<tr>";
    for (std::size_t c = 0; c < cols; ++c) {
      body_ += fmt::format("<td class=\"{}\">{}</td>", align_class(align(c)), html_escape(row[c]));
    }
    body_ += "</tr>\n";
  }
  body_ += "</tbody>\n</table>\n";
  if (!t.note.empty()) body_ += fmt::format("<p class=\"note\">{}</p>\n", html_escape(t.note));
}

void Page::add_figure(std::string_view id, const std::string& svg, std::string_view caption,
                      std::string csv) {
  claim_id(id);
  std::string text(caption);
  if (!data_folder_.empty()) {
    std::string path = fmt::format("{}/{}.csv", data_folder_, id);
    text += fmt::format("{}Data: {}.", text.empty() ? "" : " ", path);
    data_.emplace_back(std::move(path), std::move(csv));
  }
  body_ += "<figure>\n";
  body_ += svg;
  if (!text.empty()) body_ += fmt::format("<figcaption>{}</figcaption>\n", html_escape(text));
  body_ += "</figure>\n";
}

void Page::figure(const Figure& fig, std::string_view caption) {
  add_figure(fig.id, render_svg(fig, SvgMode::kInline), caption,
             data_folder_.empty() ? std::string() : figure_csv(fig));
}

void Page::flow(const FlowChart& chart, std::string_view caption) {
  add_figure(chart.id, render_flow_svg(chart), caption,
             data_folder_.empty() ? std::string() : flow_csv(chart));
}

void Page::set_figure_data_folder(std::string folder) {
  IL2SIM_ASSERT(folder.empty() || valid_id(folder), "a figure-data folder is one plain name");
  data_folder_ = std::move(folder);
}

std::string Page::render() const {
  IL2SIM_ASSERT(!in_section_, "a section is still open");
  std::string o;
  o += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  o += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  o += fmt::format("<title>{}</title>\n", html_escape(title_));
  o += fmt::format("<style>{}</style>\n</head>\n<body>\n", kCss);
  o += fmt::format("<h1>{}</h1>\n", html_escape(title_));
  if (!toc_.empty()) {
    o += "<nav aria-label=\"Contents\"><ol>\n";
    for (const auto& [id, heading] : toc_) {
      o += fmt::format("<li><a href=\"#{}\">{}</a></li>\n", id, html_escape(heading));
    }
    o += "</ol></nav>\n";
  }
  o += body_;
  o += "</body>\n</html>\n";
  return o;
}

}  // namespace il2sim::report
