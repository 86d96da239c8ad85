# Finds the two C libraries of cxkit::feedback's text pipeline and makes imported targets:
#   cxkit::utf8proc  - Unicode normalisation and case folding (Debian libutf8proc-dev)
#   cxkit::stemmer   - Snowball stemmers (Debian libstemmer-dev)
# Include it after cxkitDependencies and link `cxkit PRIVATE cxkit::utf8proc cxkit::stemmer`.
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(PC_UTF8PROC QUIET libutf8proc)
endif()

find_path(CXKIT_UTF8PROC_INCLUDE_DIR utf8proc.h HINTS ${PC_UTF8PROC_INCLUDE_DIRS})
find_library(CXKIT_UTF8PROC_LIBRARY NAMES utf8proc HINTS ${PC_UTF8PROC_LIBRARY_DIRS})
find_path(CXKIT_STEMMER_INCLUDE_DIR libstemmer.h PATH_SUFFIXES libstemmer)
find_library(CXKIT_STEMMER_LIBRARY NAMES stemmer)

if(NOT CXKIT_UTF8PROC_INCLUDE_DIR OR NOT CXKIT_UTF8PROC_LIBRARY)
  message(FATAL_ERROR "cxkit: utf8proc not found (install libutf8proc-dev)")
endif()
if(NOT CXKIT_STEMMER_INCLUDE_DIR OR NOT CXKIT_STEMMER_LIBRARY)
  message(FATAL_ERROR "cxkit: libstemmer not found (install libstemmer-dev)")
endif()

if(NOT TARGET cxkit::utf8proc)
  add_library(cxkit::utf8proc UNKNOWN IMPORTED)
  set_target_properties(cxkit::utf8proc PROPERTIES
    IMPORTED_LOCATION "${CXKIT_UTF8PROC_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${CXKIT_UTF8PROC_INCLUDE_DIR}")
endif()
if(NOT TARGET cxkit::stemmer)
  add_library(cxkit::stemmer UNKNOWN IMPORTED)
  set_target_properties(cxkit::stemmer PROPERTIES
    IMPORTED_LOCATION "${CXKIT_STEMMER_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${CXKIT_STEMMER_INCLUDE_DIR}")
endif()
mark_as_advanced(CXKIT_UTF8PROC_INCLUDE_DIR CXKIT_UTF8PROC_LIBRARY CXKIT_STEMMER_INCLUDE_DIR CXKIT_STEMMER_LIBRARY)
