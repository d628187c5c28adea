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

}  // namespace cp::app
