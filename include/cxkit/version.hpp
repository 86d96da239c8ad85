#pragma once

#define CXKIT_VERSION_MAJOR 0
#define CXKIT_VERSION_MINOR 1
#define CXKIT_VERSION_PATCH 0

namespace cxkit {
inline constexpr const char* version = "0.1.0";
}
