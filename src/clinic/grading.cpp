#include "clinic/grading.hpp"

namespace il2sim::clinic {

std::string_view to_string(ToxTerm term) {
  switch (term) {
    case ToxTerm::kCapillaryLeak:
      return "Capillary leak syndrome / weight gain";
    case ToxTerm::kHypotension:
      return "Hypotension";
    case ToxTerm::kThrombocytopenia:
      return "Thrombocytopenia";
    case ToxTerm::kFever:
      return "Fever";
    case ToxTerm::kCount:
      break;
  }
  return "";
}

bool is_haematologic(ToxTerm term) {
  return term == ToxTerm::kThrombocytopenia;
}

Grader::Grader(const scenario::ToxicitySettings& settings, const model::IndividualParameters& p)
    : settings_(settings), W_hyp_(p.W_hyp), EC50_fever_(p.EC50_fever) {}

int Grader::cls(double W) const {
  int g = 0;
  for (std::size_t k = 0; k < settings_.cls_thresholds.size(); ++k) {
    if (W >= settings_.cls_thresholds[k]) g = static_cast<int>(k) + 1;
  }
  return g;
}

int Grader::hypotension(double W) const {
  int g = 0;
  for (std::size_t k = 0; k < settings_.hypotension_multiples.size(); ++k) {
    if (W >= settings_.hypotension_multiples[k] * W_hyp_) g = static_cast<int>(k) + 2;
  }
  return g;
}

double Grader::platelets_grade4() const {
  return settings_.ctc == scenario::CtcVersion::kV1 ? 25.0 : 10.0;
}

int Grader::thrombocytopenia(double P) const {
  if (P < platelets_grade4()) return 4;
  if (P < platelets_grade3()) return 3;
  return 0;  // grades 1-2 (50-LLN) are not counted: the post-transplant marrow is rarely normal
}

int Grader::fever(double Ce) const {
  return Ce >= EC50_fever_ ? 2 : 0;
}

Grades Grader::grade(double W, double P, double Ce) const {
  Grades g;
  g.grade[static_cast<std::size_t>(ToxTerm::kCapillaryLeak)] = cls(W);
  g.grade[static_cast<std::size_t>(ToxTerm::kHypotension)] = hypotension(W);
  g.grade[static_cast<std::size_t>(ToxTerm::kThrombocytopenia)] = thrombocytopenia(P);
  g.grade[static_cast<std::size_t>(ToxTerm::kFever)] = fever(Ce);
  return g;
}

void Grader::thresholds(double W, double P, double Ce, std::span<double> g) const {
  std::size_t i = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    g[i++] = k < settings_.cls_thresholds.size() ? W - settings_.cls_thresholds[k] : -1.0;
  }
  for (std::size_t k = 0; k < 3; ++k) {
    g[i++] = k < settings_.hypotension_multiples.size()
                 ? W - settings_.hypotension_multiples[k] * W_hyp_
                 : -1.0;
  }
  g[i++] = P - platelets_grade3();
  g[i++] = P - platelets_grade4();
  g[i++] = Ce - EC50_fever_;
}

}  // namespace il2sim::clinic
