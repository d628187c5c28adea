// Actor: who performs a workflow action, for authorisation and the audit trail.
#pragma once

#include <string>

#include "domain/role.h"

namespace cp::workflow {

struct Actor {
  std::string username;           // "system" for the CLI and scheduled jobs.
  std::string organisation_code;  // The actor's organisation (audit) or "" for system.
  std::string authority;          // The local authority area of that organisation.
  domain::RoleSet roles;
  std::string request_id;
  std::string client_address;
  // True for operator commands run on the server itself (the CLI): they are trusted like an
  // administrator, and audited as "system".
  bool system = false;
};

}  // namespace cp::workflow
