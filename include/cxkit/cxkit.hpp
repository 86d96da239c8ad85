// cxkit umbrella header: includes the whole public C++ API.
#pragma once

#include "cxkit/version.hpp"
#include "cxkit/core/error.hpp"
#include "cxkit/core/time.hpp"
#include "cxkit/core/dictionary.hpp"
#include "cxkit/core/column.hpp"
#include "cxkit/core/skipped_row.hpp"
#include "cxkit/core/event_log.hpp"
#include "cxkit/core/table.hpp"
#include "cxkit/core/calendar.hpp"
#include "cxkit/io/csv.hpp"
#include "cxkit/io/xes.hpp"
