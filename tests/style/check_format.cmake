# Fails if any C++ source under src/, tests/ or bench/ is not formatted per .clang-format.
file(GLOB_RECURSE sources
  ${SOURCE_DIR}/src/*.cc ${SOURCE_DIR}/src/*.h
  ${SOURCE_DIR}/tests/*.cc ${SOURCE_DIR}/tests/*.h
  ${SOURCE_DIR}/bench/*.cc)
execute_process(
  COMMAND ${CLANG_FORMAT} --dry-run --Werror ${sources}
  WORKING_DIRECTORY ${SOURCE_DIR}
  RESULT_VARIABLE result
  ERROR_VARIABLE errors)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "Run clang-format -i on these files:\n${errors}")
endif()
