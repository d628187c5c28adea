# Shared build rules for every ContactPoint target.
#
# cp_library(NAME SOURCES ... DEPS ...) declares one layer library `cp_NAME`.
# cp_test(NAME SOURCES ... DEPS ...) declares a GoogleTest executable registered with CTest.

set(CP_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual -Wimplicit-fallthrough -Werror)

# GCC 12 at -O2/-O3 reports -Wrestrict and -Wmaybe-uninitialized inside libstdc++'s own
# std::string and std::optional code (GCC bugs 105329, 105651, 107138): false positives that
# -Werror would turn into a failed Release build. Only these two, only for GCC before 13.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  list(APPEND CP_WARNINGS -Wno-restrict -Wno-maybe-uninitialized)
endif()

if(CP_SANITIZE)
  set(CP_SAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined
      -fno-omit-frame-pointer)
  add_compile_options(${CP_SAN_FLAGS})
  add_link_options(${CP_SAN_FLAGS})
endif()

function(cp_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(cp_${name} STATIC ${ARG_SOURCES})
  target_include_directories(cp_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(cp_${name} PRIVATE ${CP_WARNINGS})
  target_link_libraries(cp_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

function(cp_test name)
  if(NOT CP_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${CP_WARNINGS})
  target_compile_definitions(${name} PRIVATE
      CP_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared"
      CP_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit)
endfunction()
