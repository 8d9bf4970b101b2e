// Boost.JSON compiled into the fuzz targets (instrumented with them).
#include <boost/json/src.hpp>
