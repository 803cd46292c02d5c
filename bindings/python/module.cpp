// The extension module il2sim._il2sim: the public C++ API (include/il2sim/il2sim.hpp) for Python.
// Each function returns its tables as lists of column dicts (name, label, unit, type, values,
// missing) with the values in NumPy arrays (numbers) or lists (text); il2sim/__init__.py turns
// them into pandas DataFrames. The engine runs without the GIL.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "il2sim/il2sim.hpp"

namespace py = pybind11;
namespace api = il2sim::api;

namespace {

template <class T>
py::array_t<T> array_of(const std::vector<T>& v) {
  return py::array_t<T>(static_cast<py::ssize_t>(v.size()), v.data());
}

py::dict column_dict(const api::Column& c) {
  py::dict d;
  d["name"] = c.name;
  d["label"] = c.label;
  d["unit"] = c.unit;
  d["missing"] = array_of(c.missing);
  switch (c.type) {
    case api::Column::Type::real:
      d["type"] = "real";
      d["values"] = array_of(c.reals);
      break;
    case api::Column::Type::integer:
      d["type"] = "integer";
      d["values"] = array_of(c.integers);
      break;
    case api::Column::Type::text: {
      d["type"] = "text";
      py::list texts(c.texts.size());
      for (std::size_t i = 0; i < c.texts.size(); ++i) {
        if (c.missing[i] != 0) {
          texts[i] = py::none();
        } else {
          texts[i] = py::str(c.texts[i]);
        }
      }
      d["values"] = texts;
      break;
    }
  }
  return d;
}

py::list table_list(const api::Table& t) {
  py::list out;
  for (const auto& c : t.columns) out.append(column_dict(c));
  return out;
}

api::ScenarioInput input_of(const std::string& kind, const std::string& text) {
  api::ScenarioInput in;
  in.text = text;
  if (kind == "toml") {
    in.kind = api::ScenarioInput::Kind::toml;
  } else if (kind == "json") {
    in.kind = api::ScenarioInput::Kind::json;
  } else if (kind != "name_or_file") {
    throw api::Error("scenario kind '" + kind + "': allowed: name_or_file, toml, json");
  }
  return in;
}

std::optional<std::uint64_t> seed_of(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return api::parse_seed(*text);
}

/// f() with the GIL released: the engine runs while other Python threads go on.
template <class F>
auto without_gil(F&& f) {
  const py::gil_scoped_release unlocked;
  return f();
}

/// The five ADaM views and summary.json that RunResult and CohortResult both hold.
template <class Result>
py::dict views_dict(const Result& r) {
  py::dict d;
  d["adsl"] = table_list(r.adsl);
  d["adtte"] = table_list(r.adtte);
  d["adlb"] = table_list(r.adlb);
  d["adae"] = table_list(r.adae);
  d["ex"] = table_list(r.ex);
  d["summary_json"] = r.summary_json;
  return d;
}

py::dict run(const std::string& kind, const std::string& text,
             const std::optional<std::string>& seed, std::optional<long> replicates,
             const api::Overrides& set, unsigned threads, const std::string& patient_data) {
  api::RunOptions o;
  o.seed = seed_of(seed);
  o.replicates = replicates;
  o.set = set;
  o.threads = threads;
  o.patient_data = patient_data;
  const auto in = input_of(kind, text);
  const auto r = without_gil([&] { return api::run(in, o); });
  py::dict d = views_dict(r);
  d["summary"] = table_list(r.summary);
  d["adtte_cuts"] = table_list(r.adtte_cuts);
  d["scenario_toml"] = r.scenario_toml;
  return d;
}

py::dict cohort(const std::string& kind, const std::string& text, const std::string& arm,
                long patients, std::optional<double> days, const std::optional<std::string>& seed,
                const api::Overrides& set, unsigned threads) {
  api::CohortOptions o;
  o.arm = arm;
  o.patients = patients;
  o.days = days;
  o.seed = seed_of(seed);
  o.set = set;
  o.threads = threads;
  const auto in = input_of(kind, text);
  return views_dict(without_gil([&] { return api::cohort(in, o); }));
}

py::list trajectory(const std::string& kind, const std::string& text, const std::string& arm,
                    std::optional<long> patient, bool typical, std::optional<double> days,
                    std::optional<double> step, const std::optional<std::string>& seed,
                    const api::Overrides& set, std::optional<std::string> mode) {
  api::TrajectoryOptions o;
  o.arm = arm;
  o.patient = patient;
  o.typical = typical;
  o.days = days;
  o.step = step;
  o.seed = seed_of(seed);
  o.set = set;
  o.mode = std::move(mode);
  const auto in = input_of(kind, text);
  return table_list(without_gil([&] { return api::trajectory(in, o); }));
}

py::list sweep(const std::string& kind, const std::string& text,
               const std::vector<std::pair<std::string, std::vector<std::string>>>& grid,
               const std::optional<std::string>& seed, std::optional<long> replicates,
               const api::Overrides& set, unsigned threads) {
  api::SweepOptions o;
  o.grid = grid;
  o.seed = seed_of(seed);
  o.replicates = replicates;
  o.set = set;
  o.threads = threads;
  const auto in = input_of(kind, text);
  return table_list(without_gil([&] { return api::sweep(in, o); }));
}

}  // namespace

PYBIND11_MODULE(_il2sim, m) {
  m.doc() = "il2sim's C++ API (include/il2sim/il2sim.hpp); use the package il2sim instead";
  // api::Error carries the CLI's message; in Python it is a ValueError.
  py::register_exception<api::Error>(m, "Error", PyExc_ValueError);
  m.def("run", &run, py::arg("kind"), py::arg("text"), py::arg("seed"), py::arg("replicates"),
        py::arg("set"), py::arg("threads"), py::arg("patient_data"));
  m.def("cohort", &cohort, py::arg("kind"), py::arg("text"), py::arg("arm"), py::arg("patients"),
        py::arg("days"), py::arg("seed"), py::arg("set"), py::arg("threads"));
  m.def("trajectory", &trajectory, py::arg("kind"), py::arg("text"), py::arg("arm"),
        py::arg("patient"), py::arg("typical"), py::arg("days"), py::arg("step"), py::arg("seed"),
        py::arg("set"), py::arg("mode"));
  m.def("sweep", &sweep, py::arg("kind"), py::arg("text"), py::arg("grid"), py::arg("seed"),
        py::arg("replicates"), py::arg("set"), py::arg("threads"));
  m.def("params", [] { return table_list(api::params()); });
  m.def("version", &api::version);
}
