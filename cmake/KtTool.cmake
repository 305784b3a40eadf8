# kt_add_tool(<name> [NO_COMMON] [JEMALLOC] SOURCES <files...>)
#
# Builds the tool's code as the library kt_<name>: main.cpp (the wiring, kt::<name>::Main) and
# the rest (its Transforms, option parsing, subcommands). The unit tests link that library too
# (the property KT_TOOL_LIBS lists those with more than main.cpp). The executable tools/<name> is
# tools/tool_main.cpp, whose main() calls kt::<name>::Main, linked with that library: main.cpp
# shares a unity batch with the tool's other files, so CLI11 compiles once per tool, not twice.
# Links libcommon, renders man/<name>.1.scd with scdoc, and
# registers the smoke tests no tool may ship without:
#   <name>.help      --help exits 0 and prints usage
#   <name>.version   --version exits 0 and names the tool
#   <name>.badflag   an unknown flag exits 2 with a suggestion
#   <name>.mansync   the man page and the tool agree both ways: every option --help (of the tool
#                    and of each subcommand) shows is in the page, every option entry of the
#                    page is an option the tool takes
# The man page is man/<name>.1.scd followed by man/fragments/common.scd (common options, exit
# status, environment) unless NO_COMMON (a tool without the common options, like kbroker); the
# fragment keeps only the entries of options the tool takes (render_man.sh --tool).
# JEMALLOC: the executable allocates with jemalloc (KT_JEMALLOC, top-level CMakeLists.txt), linked
# even though no symbol of it is named: it replaces malloc for the whole process, librdkafka's
# and RocksDB's threads included; tools/jemalloc_conf.cpp holds its settings.
function(kt_add_tool name)
  cmake_parse_arguments(T "NO_COMMON;JEMALLOC" "" "SOURCES" ${ARGN})
  add_library(kt_${name} STATIC ${T_SOURCES})
  target_link_libraries(kt_${name} PUBLIC kt_common)
  target_include_directories(kt_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
  kt_precompile(kt_${name} CLI/CLI.hpp FROM kt_common)
  set(more_sources ${T_SOURCES})
  list(FILTER more_sources EXCLUDE REGEX "/main\\.cpp$")
  if(more_sources)
    set_property(GLOBAL APPEND PROPERTY KT_TOOL_LIBS kt_${name})
  endif()
  add_executable(${name} ${PROJECT_SOURCE_DIR}/tools/tool_main.cpp)
  target_compile_definitions(${name} PRIVATE KT_TOOL=${name})
  target_link_libraries(${name} PRIVATE kt_${name})
  if(T_JEMALLOC AND TARGET PkgConfig::JEMALLOC)
    target_sources(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tools/jemalloc_conf.cpp)
    target_link_libraries(${name} PRIVATE -Wl,--push-state,--no-as-needed PkgConfig::JEMALLOC -Wl,--pop-state)
  endif()
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
  install(TARGETS ${name} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  set_property(GLOBAL APPEND PROPERTY KT_TOOLS ${name})

  set(scd ${PROJECT_SOURCE_DIR}/man/${name}.1.scd)
  if(NOT EXISTS ${scd})
    message(FATAL_ERROR "tool ${name} has no man page ${scd}")
  endif()
  set(common ${PROJECT_SOURCE_DIR}/man/fragments/common.scd)
  if(T_NO_COMMON)
    set(common "")
  endif()
  kt_add_man_page(${name}.1 1 TOOL ${name} ${scd} ${common})

  set(smoke ${PROJECT_SOURCE_DIR}/tests/smoke)
  add_test(NAME ${name}.help COMMAND ${smoke}/help.sh $<TARGET_FILE:${name}>)
  add_test(NAME ${name}.version COMMAND ${smoke}/version.sh $<TARGET_FILE:${name}>)
  add_test(NAME ${name}.badflag COMMAND ${smoke}/badflag.sh $<TARGET_FILE:${name}>)
  add_test(NAME ${name}.mansync COMMAND ${smoke}/mansync.sh $<TARGET_FILE:${name}> ${CMAKE_BINARY_DIR}/man/${name}.1.scd)
endfunction()

# kt_add_man_page(<output name> <section> [TOOL <target>] <scd sources...>): concatenates the
# sources (a page and shared fragments; with TOOL, only the fragment entries of options the
# tool takes), renders them with scdoc, installs the result.
function(kt_add_man_page out section)
  cmake_parse_arguments(M "" "TOOL" "" ${ARGN})
  set(page ${CMAKE_BINARY_DIR}/man/${out})
  set(tool_args "")
  set(tool_dep "")
  if(M_TOOL)
    set(tool_args --tool $<TARGET_FILE:${M_TOOL}>)
    set(tool_dep ${M_TOOL})
  endif()
  set(scripts ${PROJECT_SOURCE_DIR}/cmake/render_man.sh ${PROJECT_SOURCE_DIR}/cmake/tool_options.sh
              ${PROJECT_SOURCE_DIR}/cmake/man_options.awk)
  add_custom_command(OUTPUT ${page}
    COMMAND ${PROJECT_SOURCE_DIR}/cmake/render_man.sh ${SCDOC} ${page} ${tool_args} ${M_UNPARSED_ARGUMENTS}
    DEPENDS ${M_UNPARSED_ARGUMENTS} ${scripts} ${tool_dep}
    VERBATIM
    COMMENT "scdoc ${out}")
  string(REPLACE "." "_" tgt "man_${out}")
  add_custom_target(${tgt} ALL DEPENDS ${page})
  install(FILES ${page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endfunction()
