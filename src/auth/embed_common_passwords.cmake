# Turns a text file into a C++ source defining its bytes, for cp_auth's password policy.
# Usage: cmake -DINPUT=<file.txt> -DOUTPUT=<file.cc> -P embed_common_passwords.cmake
#
# The bytes are written as hex literals, so the file's content needs no escaping. The
# generated .cc defines cp::auth::internal::kCommonPasswordsText / kCommonPasswordsTextSize,
# declared in password_policy.cc.
if(NOT INPUT OR NOT OUTPUT)
  message(FATAL_ERROR "embed_common_passwords.cmake needs -DINPUT and -DOUTPUT")
endif()
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
# Break the array into lines of 32 bytes so compilers and editors cope with it.
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){32})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
  "// Generated from data/common-passwords.txt by embed_common_passwords.cmake. Do not edit.\n"
  "#include <cstddef>\n\n"
  "namespace cp::auth::internal {\n\n"
  "extern const unsigned char kCommonPasswordsText[];\n"
  "extern const size_t kCommonPasswordsTextSize;\n\n"
  "const unsigned char kCommonPasswordsText[] = {\n${bytes}\n0x00};\n"
  "const size_t kCommonPasswordsTextSize = ${size};\n\n"
  "}  // namespace cp::auth::internal\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
