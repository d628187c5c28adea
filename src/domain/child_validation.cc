#include "domain/child_validation.h"

#include "domain/field_validation.h"
#include "domain/service_types.h"

namespace cp::domain {
namespace {

std::string Indexed(std::string_view base, size_t i, std::string_view field) {
  return std::string(base) + "[" + std::to_string(i) + "]." + std::string(field);
}

Status ValidateNames(std::vector<PersonName>& names, std::string_view base) {
  for (size_t i = 0; i < names.size(); ++i) {
    CP_ASSIGN_OR_RETURN(names[i].given_names,
                        ValidatePersonName(names[i].given_names, Indexed(base, i, "given_names"),
                                           /*required=*/false));
    CP_ASSIGN_OR_RETURN(names[i].family_name,
                        ValidatePersonName(names[i].family_name, Indexed(base, i, "family_name")));
  }
  return Status::Ok();
}

}  // namespace

Status ValidateChildRecord(ChildRecord& r, Date today) {
  CP_ASSIGN_OR_RETURN(r.name.given_names, ValidatePersonName(r.name.given_names, "given_names"));
  CP_ASSIGN_OR_RETURN(r.name.family_name, ValidatePersonName(r.name.family_name, "family_name"));
  CP_RETURN_IF_ERROR(ValidateNames(r.former_names, "former_names"));
  CP_RETURN_IF_ERROR(ValidateNames(r.known_as, "known_as"));
  if (r.date_of_birth > today) {
    return Status::InvalidArgument("The date of birth must be in the past", "date_of_birth");
  }
  int age = r.date_of_birth.YearsUntil(today);
  if (age >= kExtendedAge || (age >= kAdultAge && !r.extended_with_consent)) {
    return Status::InvalidArgument(
        "ContactPoint holds records only to 18, or to 25 with the young person's consent",
        "date_of_birth");
  }
  Address& a = r.address;
  if (a.status == AddressStatus::kCurrent || a.status == AddressStatus::kLastKnown) {
    CP_ASSIGN_OR_RETURN(a.line_1, ValidateText(a.line_1, "address.line_1"));
    if (a.line_1.empty())
      return Status::InvalidArgument("Enter the first line of the address", "address.line_1");
    CP_ASSIGN_OR_RETURN(a.line_2, ValidateText(a.line_2, "address.line_2"));
    CP_ASSIGN_OR_RETURN(a.town, ValidateText(a.town, "address.town", 100));
    CP_ASSIGN_OR_RETURN(a.postcode, NormalisePostcode(a.postcode, "address.postcode"));
  } else if (!a.line_1.empty() || !a.postcode.empty()) {
    return Status::InvalidArgument("An address cannot be given with this address status",
                                   "address.status");
  }
  if (a.intent_to_return && a.status != AddressStatus::kLeftEngland) {
    return Status::InvalidArgument("An intent-to-return date goes only with 'left England'",
                                   "address.intent_to_return");
  }
  for (size_t i = 0; i < r.carers.size(); ++i) {
    Carer& c = r.carers[i];
    CP_ASSIGN_OR_RETURN(c.name, ValidatePersonName(c.name, Indexed("carers", i, "name")));
    CP_ASSIGN_OR_RETURN(c.relationship,
                        ValidateText(c.relationship, Indexed("carers", i, "relationship"), 50));
    if (c.relationship.empty()) {
      return Status::InvalidArgument("Enter the carer's relationship to the child",
                                     Indexed("carers", i, "relationship"));
    }
    if (!c.phone.empty()) CP_RETURN_IF_ERROR(ValidatePhone(c.phone, Indexed("carers", i, "phone")));
    if (!c.email.empty()) CP_RETURN_IF_ERROR(ValidateEmail(c.email, Indexed("carers", i, "email")));
  }
  if (r.education) {
    CP_ASSIGN_OR_RETURN(r.education->name, ValidateText(r.education->name, "education.name"));
    if (r.education->start_date && *r.education->start_date > today) {
      return Status::InvalidArgument("The start date must not be in the future",
                                     "education.start_date");
    }
  }
  if (r.gp) {
    CP_ASSIGN_OR_RETURN(r.gp->name, ValidateText(r.gp->name, "gp.name"));
    if (!r.gp->phone.empty()) CP_RETURN_IF_ERROR(ValidatePhone(r.gp->phone, "gp.phone"));
  }
  for (size_t i = 0; i < r.involvements.size(); ++i) {
    Involvement& v = r.involvements[i];
    auto type = FindServiceType(v.service_type);
    if (!type) {
      return Status::InvalidArgument("is not a service type ContactPoint holds",
                                     Indexed("involvements", i, "service_type"));
    }
    if (type->sensitive && v.sensitive_basis == SensitiveBasis::kNone) {
      return Status::InvalidArgument(
          std::string(type->label) +
              " can be recorded only with the child's consent or where significant harm is "
              "suspected",
          Indexed("involvements", i, "sensitive_basis"));
    }
    CP_ASSIGN_OR_RETURN(
        v.practitioner,
        ValidateText(v.practitioner, Indexed("involvements", i, "practitioner"), 100));
    CP_ASSIGN_OR_RETURN(v.organisation,
                        ValidateText(v.organisation, Indexed("involvements", i, "organisation")));
    if (v.organisation.empty()) {
      return Status::InvalidArgument("Enter the organisation",
                                     Indexed("involvements", i, "organisation"));
    }
    if (!v.phone.empty())
      CP_RETURN_IF_ERROR(ValidatePhone(v.phone, Indexed("involvements", i, "phone")));
    if (!v.email.empty())
      CP_RETURN_IF_ERROR(ValidateEmail(v.email, Indexed("involvements", i, "email")));
    if (v.start_date && v.end_date && *v.end_date < *v.start_date) {
      return Status::InvalidArgument("The end date must be on or after the start date",
                                     Indexed("involvements", i, "end_date"));
    }
  }
  if (r.responsible_authority.empty()) {
    return Status::InvalidArgument("Every record needs a responsible local authority",
                                   "responsible_authority");
  }
  return Status::Ok();
}

}  // namespace cp::domain
