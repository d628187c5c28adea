#include "api/json_body.h"

#include <boost/json/parse.hpp>

namespace cp::api {

Result<boost::json::object> ParseJsonObject(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) {
    return Status::InvalidArgument("The request body must be a JSON object", "body");
  }
  return std::move(value.as_object());
}

Result<std::optional<std::string>> OptionalString(const boost::json::object& obj,
                                                  std::string_view field) {
  const boost::json::value* v = obj.if_contains(field);
  if (v == nullptr || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return Status::InvalidArgument("must be a string", std::string(field));
  return std::optional<std::string>(std::string(v->as_string()));
}

Result<std::string> RequiredString(const boost::json::object& obj, std::string_view field) {
  CP_ASSIGN_OR_RETURN(std::optional<std::string> value, OptionalString(obj, field));
  if (!value || value->empty()) return Status::InvalidArgument("is required", std::string(field));
  return *value;
}

Result<std::optional<bool>> OptionalBool(const boost::json::object& obj, std::string_view field) {
  const boost::json::value* v = obj.if_contains(field);
  if (v == nullptr || v->is_null()) return std::optional<bool>();
  if (!v->is_bool()) return Status::InvalidArgument("must be true or false", std::string(field));
  return std::optional<bool>(v->as_bool());
}

Result<std::optional<std::vector<std::string>>> OptionalStringArray(const boost::json::object& obj,
                                                                    std::string_view field) {
  const boost::json::value* v = obj.if_contains(field);
  if (v == nullptr || v->is_null()) return std::optional<std::vector<std::string>>();
  if (!v->is_array()) {
    return Status::InvalidArgument("must be an array of strings", std::string(field));
  }
  std::vector<std::string> out;
  for (const auto& item : v->as_array()) {
    if (!item.is_string()) {
      return Status::InvalidArgument("must be an array of strings", std::string(field));
    }
    out.emplace_back(item.as_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

}  // namespace cp::api
