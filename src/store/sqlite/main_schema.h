// The versioned migrations of the main database (organisations, users, sessions, and later
// the directory). Append only: never edit a migration that has shipped.
#pragma once

#include <vector>

#include "store/sqlite/database.h"

namespace cp::store::sqlite {

const std::vector<Migration>& MainSchemaMigrations();

}  // namespace cp::store::sqlite
