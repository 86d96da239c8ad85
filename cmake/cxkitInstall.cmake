include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS cxkit EXPORT cxkitTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/cxkit DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT cxkitTargets NAMESPACE cxkit:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cxkit)
configure_package_config_file(cmake/cxkitConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/cxkitConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cxkit)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/cxkitConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/cxkitConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/cxkitConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/cxkitText.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cxkit)
