#include "domain/service_types.h"

namespace cp::domain {
namespace {

constexpr ServiceType kServiceTypes[] = {
    {"education", "Education", false},
    {"early_years", "Early years", false},
    {"health_visiting", "Health visiting", false},
    {"school_nursing", "School nursing", false},
    {"general_practice", "General practice", false},
    {"community_paediatrics", "Community paediatrics", false},
    {"speech_and_language", "Speech and language therapy", false},
    {"social_care", "Children's social care", false},
    {"family_support", "Family support", false},
    {"youth_service", "Youth service", false},
    {"youth_offending", "Youth offending service", false},
    {"connexions", "Connexions", false},
    {"education_welfare", "Education welfare", false},
    {"special_educational_needs", "Special educational needs", false},
    {"housing", "Housing", false},
    {"police", "Police", false},
    {"probation", "Probation", false},
    {"voluntary_sector", "Voluntary sector service", false},
    {"sexual_health", "Sexual health", true},
    {"mental_health", "Mental health", true},
    {"substance_misuse", "Substance misuse", true},
};

}  // namespace

std::span<const ServiceType> AllServiceTypes() { return kServiceTypes; }

std::optional<ServiceType> FindServiceType(std::string_view code) {
  for (const ServiceType& t : kServiceTypes) {
    if (t.code == code) return t;
  }
  return std::nullopt;
}

}  // namespace cp::domain
