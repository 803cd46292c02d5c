#include <gtest/gtest.h>

#include <cmath>

#include "dosing/bsa.hpp"
#include "dosing/regimen.hpp"

namespace il2sim::dosing {

// Mosteller (NEJM 1987): BSA = sqrt(cm x kg / 3600). 180 cm, 80 kg -> sqrt(4) = 2 m² exactly.
TEST(Bsa, MostellerClosedForm) {
  EXPECT_DOUBLE_EQ(body_surface_area(180.0, 80.0, BsaFormula::kMosteller), 2.0);
  EXPECT_NEAR(body_surface_area(170.0, 70.0, BsaFormula::kMosteller), 1.8181, 1e-4);
}

// Du Bois & Du Bois (1916): 170 cm, 70 kg -> 0.007184 x 70^0.425 x 170^0.725 = 1.8097 m² (the
// formula evaluated to 4 decimals; the textbook "1.81 m² for a 70 kg, 170 cm adult").
TEST(Bsa, DuBoisWorkedExample) {
  EXPECT_NEAR(body_surface_area(170.0, 70.0, BsaFormula::kDuBois), 1.8097, 5e-5);
}

// Haycock et al. (J Pediatr 1978) for a child: 100 cm, 16 kg -> 0.024265 x 16^0.5378 x 100^0.3964
// = 0.6689 m² (the formula evaluated to 4 decimals).
TEST(Bsa, HaycockWorkedExample) {
  EXPECT_NEAR(body_surface_area(100.0, 16.0, BsaFormula::kHaycock), 0.6689, 5e-5);
}

// Unit conversions (facts.md §2): 18×10^6 IU = 3×10^6 Cetus units; Roche potency is the scenario
// factor.
TEST(Potency, ProductsInChironIu) {
  EXPECT_DOUBLE_EQ(potency(Product::kChiron, 3.0), 1.0);
  EXPECT_DOUBLE_EQ(3e6 * potency(Product::kCetus, 3.0), 18e6);
  EXPECT_DOUBLE_EQ(potency(Product::kRoche, 3.0), 3.0);
  EXPECT_DOUBLE_EQ(potency(Product::kRoche, 6.0), 6.0);
}

Regimen chiron() {
  Regimen r{"chiron", Product::kChiron, {}};
  r.phases.push_back({"induction", PhaseRole::kInduction, Route::kCiv, 9e6, DoseUnit::kPerM2PerDay,
                      4, CareSetting::kInpatient});
  r.phases.push_back({"rest", PhaseRole::kRest, Route::kCiv, 0.0, DoseUnit::kPerM2PerDay, 4,
                      CareSetting::kOutpatient});
  r.phases.push_back({"maintenance", PhaseRole::kMaintenance, Route::kCiv, 1.6e6,
                      DoseUnit::kPerM2PerDay, 10, CareSetting::kOutpatient});
  return r;
}

// The Chiron regimen from day 46 for BSA 1.8 m² (interfaces.md: CIV on [46, 50) and [54, 64)).
TEST(Expand, ChironRegimenFromDay46) {
  const auto records = expand(chiron(), 46.0, {1.8, 70.0}, 3.0);
  ASSERT_EQ(records.size(), 2U);
  EXPECT_DOUBLE_EQ(records[0].time, 46.0);
  EXPECT_DOUBLE_EQ(records[0].duration, 4.0);
  EXPECT_DOUBLE_EQ(records[0].rate_iu_per_day, 9e6 * 1.8);
  EXPECT_DOUBLE_EQ(records[1].time, 54.0);
  EXPECT_DOUBLE_EQ(records[1].duration, 10.0);
  EXPECT_DOUBLE_EQ(records[1].rate_iu_per_day, 1.6e6 * 1.8);
  EXPECT_EQ(records[1].phase_index, 2U);
}

// Roche units scale by the potency factor: 3×10^6 U/m²/day at factor 3 is 9×10^6 Chiron IU/m²/day.
TEST(Expand, RochePotencyAppliesToRate) {
  Regimen r{"roche",
            Product::kRoche,
            {{"induction", PhaseRole::kInduction, Route::kCiv, 3e6, DoseUnit::kPerM2PerDay, 5}}};
  const auto records = expand(r, 0.0, {2.0, 70.0}, 3.0);
  ASSERT_EQ(records.size(), 1U);
  EXPECT_DOUBLE_EQ(records[0].rate_iu_per_day, 3e6 * 3.0 * 2.0);
}

// SC every 12 h for 2 days: 4 administrations into the depot; per-kg dosing uses weight.
TEST(Expand, BolusAndScAdministrations) {
  Phase sc{"sc", PhaseRole::kOther, Route::kSc, 1e4, DoseUnit::kPerKgPerDay, 2.0};
  sc.interval_hours = 12.0;
  Regimen r{"sc", Product::kChiron, {sc}};
  const auto records = expand(r, 10.0, {1.8, 50.0}, 3.0);
  ASSERT_EQ(records.size(), 4U);
  EXPECT_DOUBLE_EQ(records[3].time, 11.5);
  EXPECT_DOUBLE_EQ(records[3].amount_iu, 5e5);
  EXPECT_EQ(records[3].compartment, Compartment::kDepot);
}

}  // namespace il2sim::dosing
