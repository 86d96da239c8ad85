# Public-header hygiene, checked by building (ctest target cxkit_header_check):
# - every public header compiles alone, included twice (one generated translation unit each);
# - two translation units that include the umbrella header link together (no ODR breaks:
#   a non-inline definition in a header would be a duplicate symbol);
# - the umbrella header includes every public header (cxkit_umbrella_complete).
file(GLOB_RECURSE _cxkit_public_headers CONFIGURE_DEPENDS RELATIVE "${PROJECT_SOURCE_DIR}/include"
     "${PROJECT_SOURCE_DIR}/include/cxkit/*.hpp")
set(_check_dir "${PROJECT_BINARY_DIR}/header_check")
set(_check_sources)
foreach(h ${_cxkit_public_headers})
  string(MAKE_C_IDENTIFIER "${h}" _id)
  set(_tu "${_check_dir}/${_id}.cpp")
  file(CONFIGURE OUTPUT "${_tu}" CONTENT "#include \"${h}\"\n#include \"${h}\"  // include guard check\n")
  list(APPEND _check_sources "${_tu}")
endforeach()
foreach(_tu umbrella_a umbrella_b)
  file(CONFIGURE OUTPUT "${_check_dir}/${_tu}.cpp"
       CONTENT "#include \"cxkit/cxkit.hpp\"\nint cxkit_header_check_${_tu}() { return 0; }\n")
  list(APPEND _check_sources "${_check_dir}/${_tu}.cpp")
endforeach()
file(CONFIGURE OUTPUT "${_check_dir}/main.cpp" CONTENT
"int cxkit_header_check_umbrella_a();\nint cxkit_header_check_umbrella_b();\n\
int main() { return cxkit_header_check_umbrella_a() + cxkit_header_check_umbrella_b(); }\n")
add_executable(cxkit_header_check ${_check_sources} "${_check_dir}/main.cpp")
target_link_libraries(cxkit_header_check PRIVATE cxkit::cxkit)
add_test(NAME cxkit_header_check COMMAND cxkit_header_check)

add_test(NAME cxkit_umbrella_complete
         COMMAND ${CMAKE_COMMAND} -DINCLUDE_DIR=${PROJECT_SOURCE_DIR}/include
                 -P ${PROJECT_SOURCE_DIR}/cmake/cxkitUmbrellaCheck.cmake)
