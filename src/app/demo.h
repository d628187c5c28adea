// The demo directory: several local authorities and organisations, one demo user per role
// (plus one who has not yet enrolled a token), and, once the directory exists, synthetic
// children. Writes DIR/demo-accounts.json for people trying the demo:
//   [{"username","password","totp_secret"(base32, "" = not enrolled),"roles":[...],
//     "organisation","display_name"}]
// The demo's people, places and organisations are fictional.
#pragma once

#include <string>
#include <vector>

#include "app/application.h"
#include "app/synthetic_children.h"
#include "core/clock.h"
#include "core/random.h"

namespace cp::app {

struct DemoAccount {
  std::string username;
  std::string password;
  std::string totp_secret_base32;
  std::vector<std::string> roles;
  std::string organisation;
  std::string display_name;
};

// True if the data directory has already been seeded (it holds organisations).
Result<bool> IsSeeded(Application& app);

// Seeds an empty directory and writes demo-accounts.json. `random` makes passwords and TOTP
// keys (use SecureRandom: the demo may be reachable by others on the machine).
Result<std::vector<DemoAccount>> SeedDemo(Application& app, RandomSource& random,
                                          const Clock& clock);

// The synthetic population of the demo (and of `contactpoint generate`) on `today`.
SyntheticOptions DemoSyntheticOptions(Date today);

// Adds the demo's children when the directory is empty: a few named children the README and
// the browser tests use (Amelia Okafor, not shielded, with several practitioners; Ruby Stone,
// shielded, and her brother Leo at the same address), then `synthetic` generated children
// spread over the demo's local authorities, some of them shielded. Returns how many were added.
Result<size_t> SeedDemoChildren(Application& app, RandomSource& random, const Clock& clock,
                                size_t synthetic);

}  // namespace cp::app
