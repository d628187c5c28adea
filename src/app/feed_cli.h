// The feed operator commands (docs/feeds.md):
//   contactpoint import --data DIR --source ORG_CODE [--report OUT.csv] [--batch N] FILE.csv
//   contactpoint generate --children N --out FILE.csv [--seed S]
//   contactpoint token issue|revoke|list --data DIR --source ORG_CODE [--id N] [--label L]
// and the CSV reading and writing they use.
#pragma once

#include <functional>
#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "app/application.h"
#include "app/cli_args.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"

namespace cp::app {

// Opens the data directory for an operator command (main.cc decides whether it holds the
// data-directory lock: `token` does, `import` runs beside a server).
using OpenForAdminFn = std::function<Result<std::unique_ptr<Application>>(
    const ParsedArgs& args, const Clock& clock, RandomSource& random)>;

// Each prints its output; a non-OK Status is for the caller to report (exit code).
Status ImportCommand(const std::vector<std::string>& argv, const OpenForAdminFn& open);
Status GenerateCommand(const std::vector<std::string>& argv);
Status TokenCommand(const std::vector<std::string>& argv, const OpenForAdminFn& open);

// RFC 4180 CSV: reads the next record into `fields` (quoted fields may hold commas, quotes
// and newlines). False at the end of the input. A trailing "\r" is dropped.
bool ReadCsvRecord(std::istream& in, std::vector<std::string>& fields);
// One field, quoted when it holds a comma, quote, CR or LF.
std::string CsvField(std::string_view value);

}  // namespace cp::app
