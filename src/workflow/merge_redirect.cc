#include "workflow/merge_redirect.h"

namespace cp::workflow {

Result<ResolvedRecord> GetFollowingMerges(store::ChildStore& children, const domain::Uin& uin) {
  auto record = children.GetByUin(uin);
  if (record.ok()) return ResolvedRecord{std::move(*record), ""};
  if (record.status().code() != StatusCode::kNotFound) return record.status();
  CP_ASSIGN_OR_RETURN(std::optional<domain::Uin> survivor, children.MergedInto(uin));
  if (!survivor) return record.status();
  CP_ASSIGN_OR_RETURN(domain::ChildRecord merged, children.GetByUin(*survivor));
  return ResolvedRecord{std::move(merged), uin.str()};
}

}  // namespace cp::workflow
