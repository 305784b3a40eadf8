# kt_precompile(<target> <header> [FROM <other target>] [EXCEPT <sources...>])
#
# Gives <header>, precompiled, to the sources of <target> that include it themselves
# (`#include <header>`, found when configuring); the others compile as before, so every file
# still includes what it uses. With FROM, the header <other target> precompiled (the same
# compile flags: every target takes libcommon's); without, <target> precompiles it. EXCEPT: sources
# that must see something before the header (a #define), compiled as before.
# Why: CLI11 2.1 is header-only and takes ~4 s to parse (35 files declare options), Catch2 ~2 s
# (52 test files); precompiled, a file of a tool's options compiles in 11 s instead of 14 here.
# Not in a unity build, whose batches parse each header once already (tried in stop 60 for the
# tools' main.cpp batches: the sanitizer build took 8m13s instead of 7m22s, every batch of the
# target loading a 138 MB precompiled CLI11), nor with KT_PCH=OFF.
function(kt_precompile target header)
  cmake_parse_arguments(P "" "FROM" "EXCEPT" ${ARGN})
  if(CMAKE_UNITY_BUILD OR NOT KT_PCH)
    return()
  endif()
  get_target_property(sources ${target} SOURCES)
  get_target_property(dir ${target} SOURCE_DIR)
  set(users 0)
  foreach(source IN LISTS sources)
    cmake_path(ABSOLUTE_PATH source BASE_DIRECTORY ${dir} OUTPUT_VARIABLE path)
    file(STRINGS ${path} includes REGEX "^#include <${header}>")
    if(includes AND NOT source IN_LIST P_EXCEPT)
      math(EXPR users "${users} + 1")
    else()
      set_source_files_properties(${source} TARGET_DIRECTORY ${target} PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
    endif()
  endforeach()
  if(users EQUAL 0)
    return()
  elseif(P_FROM)
    target_precompile_headers(${target} REUSE_FROM ${P_FROM})
  else()
    target_precompile_headers(${target} PRIVATE <${header}>)
  endif()
endfunction()
