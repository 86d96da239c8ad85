# Finds cxkit's dependencies. cxkitConfig.cmake repeats the PUBLIC ones with find_dependency.
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(date REQUIRED)
find_package(EXPAT REQUIRED)
find_package(ZLIB REQUIRED)
