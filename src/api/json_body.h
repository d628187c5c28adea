// Reading JSON request bodies with field-level errors.
//
// Every accessor returns InvalidArgument naming the field when the value is missing (for
// Required*) or has the wrong type, so the client learns exactly which field to fix.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace cp::api {

// Parses a JSON object body. InvalidArgument("request body must be a JSON object") otherwise.
Result<boost::json::object> ParseJsonObject(std::string_view body);

Result<std::string> RequiredString(const boost::json::object& obj, std::string_view field);
Result<std::optional<std::string>> OptionalString(const boost::json::object& obj,
                                                  std::string_view field);
Result<std::optional<bool>> OptionalBool(const boost::json::object& obj, std::string_view field);
Result<std::optional<std::vector<std::string>>> OptionalStringArray(const boost::json::object& obj,
                                                                    std::string_view field);

}  // namespace cp::api
