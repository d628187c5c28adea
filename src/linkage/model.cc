#include "linkage/model.h"

namespace cp::linkage {

MatchModel DefaultMatchModel() {
  MatchModel model;
  // m: how often a level occurs for the same child in two sources (typing errors, nicknames,
  // missing items); u: how often for two different children (chance agreement). Values follow
  // the FEBRL corruption rates and the synthetic population (docs/matching.md).
  model.given.exact = {0.80, 0.01};
  model.given.nickname = {0.03, 0.0015};
  model.given.jaro_winkler = {0.08, 0.003};
  model.given.phonetic = {0.03, 0.006};
  model.given.disagree = {0.06, 0.98};

  model.family.exact = {0.82, 0.002};
  model.family.nickname = {0.0001, 0.0001};  // Not used: nicknames are for given names.
  model.family.jaro_winkler = {0.09, 0.002};
  model.family.phonetic = {0.03, 0.004};
  model.family.disagree = {0.06, 0.99};

  model.date_of_birth.exact = {0.90, 1.0 / 6570};  // Uniform over 18 years of birthdays.
  model.date_of_birth.day_month_swap = {0.01, 1.0 / 6570};
  model.date_of_birth.one_component = {0.06, 0.03};
  model.date_of_birth.disagree = {0.01, 0.97};

  model.postcode.full = {0.75, 0.0005};
  model.postcode.sector = {0.05, 0.003};
  model.postcode.district = {0.05, 0.01};
  model.postcode.disagree = {0.15, 0.99};

  model.gender.agree = {0.97, 0.5};
  model.gender.disagree = {0.03, 0.5};

  model.carers.full_name = {0.70, 0.0002};
  model.carers.partial = {0.10, 0.01};
  model.carers.disagree = {0.20, 0.99};

  model.address.full = {0.60, 0.0002};
  model.address.street = {0.15, 0.005};
  model.address.disagree = {0.25, 0.995};

  model.town.exact = {0.70, 0.005};
  model.town.nickname = {0.0001, 0.0001};  // Not used.
  model.town.jaro_winkler = {0.10, 0.003};
  model.town.phonetic = {0.03, 0.005};
  model.town.disagree = {0.15, 0.98};

  model.identifier.exact = {0.90, 0.00001};
  model.identifier.one_edit = {0.08, 0.0001};
  model.identifier.disagree = {0.02, 0.9999};
  return model;
}

Thresholds DefaultThresholds() { return Thresholds{.lower = 17.0, .upper = 20.0}; }

}  // namespace cp::linkage
