// A small command-line parser: positional words, then "--name value" options and "--flag"
// switches. Unknown options are an error, so a typo never silently changes behaviour.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"

namespace cp::app {

struct ParsedArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;
  std::set<std::string> switches;

  std::string Get(const std::string& name, const std::string& fallback = "") const;
  bool Has(const std::string& name) const { return options.count(name) > 0; }
  bool Switch(const std::string& name) const { return switches.count(name) > 0; }
};

// `value_options` take a value; `switch_options` do not. Names are given without "--".
Result<ParsedArgs> ParseArgs(const std::vector<std::string>& args,
                             const std::set<std::string>& value_options,
                             const std::set<std::string>& switch_options);

}  // namespace cp::app
