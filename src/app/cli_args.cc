#include "app/cli_args.h"

namespace cp::app {

std::string ParsedArgs::Get(const std::string& name, const std::string& fallback) const {
  auto it = options.find(name);
  return it == options.end() ? fallback : it->second;
}

Result<ParsedArgs> ParseArgs(const std::vector<std::string>& args,
                             const std::set<std::string>& value_options,
                             const std::set<std::string>& switch_options) {
  ParsedArgs out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0) {
      out.positional.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    bool inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    if (switch_options.count(name)) {
      if (inline_value) return Status::InvalidArgument("--" + name + " takes no value");
      out.switches.insert(name);
    } else if (value_options.count(name)) {
      if (!inline_value) {
        if (i + 1 >= args.size()) return Status::InvalidArgument("--" + name + " needs a value");
        value = args[++i];
      }
      out.options[name] = value;
    } else {
      return Status::InvalidArgument("unknown option --" + name);
    }
  }
  return out;
}

}  // namespace cp::app
