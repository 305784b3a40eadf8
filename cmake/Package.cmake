# Shell completion for every tool (generated from the built tools' --help), what `cmake --install`
# puts where, and the Debian package (`cpack` in the build directory; tests/smoke/package.sh).
get_property(kt_tools GLOBAL PROPERTY KT_TOOLS)
set(kt_tool_files "")
foreach(t ${kt_tools})
  list(APPEND kt_tool_files $<TARGET_FILE:${t}>)
endforeach()
set(completion_dir ${CMAKE_BINARY_DIR}/completions)
add_custom_command(
  OUTPUT ${completion_dir}/ktools.bash ${completion_dir}/_ktools
  COMMAND ${PROJECT_SOURCE_DIR}/cmake/completions.sh bash ${completion_dir}/ktools.bash ${kt_tool_files}
  COMMAND ${PROJECT_SOURCE_DIR}/cmake/completions.sh zsh ${completion_dir}/_ktools ${kt_tool_files}
  DEPENDS ${kt_tools} ${PROJECT_SOURCE_DIR}/cmake/completions.sh ${PROJECT_SOURCE_DIR}/cmake/tool_options.sh
  VERBATIM
  COMMENT "shell completion")
# Not by default in a sanitizer build, which packages nothing: there it ran every tool's --help
# under ASan, 18 s alone at the end of the build.
if(KT_SANITIZE)
  add_custom_target(completions DEPENDS ${completion_dir}/ktools.bash ${completion_dir}/_ktools)
else()
  add_custom_target(completions ALL DEPENDS ${completion_dir}/ktools.bash ${completion_dir}/_ktools)
endif()
# bash-completion loads a command's completion from a file named after it.
foreach(t ${kt_tools})
  install(FILES ${completion_dir}/ktools.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
          RENAME ${t})
endforeach()
install(FILES ${completion_dir}/_ktools DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
# Running a stage as a service (ktools(7), SERVICE): examples, not enabled.
install(FILES ${PROJECT_SOURCE_DIR}/docs/service/ktools-ktable@.service
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/ktools/examples)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/docs/service/entrypoint.sh DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/ktools/examples)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ktools)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "ktools developers <ktools@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Kafka stream processing as small Unix tools")
set(CPACK_PACKAGE_DESCRIPTION "kfilter, kmap, kscore, kbranch, kgroupby, ktable, kwindow, kjoin, kbatch, kproduce, kconsume, kgen, ktopic, kgroup and kbroker: filter, map, aggregate, window and join Kafka topics (or NDJSON pipes) from the shell.")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # librdkafka, RocksDB, RE2 versions from the build machine
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGE_INSTALL_DIRECTORY /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
