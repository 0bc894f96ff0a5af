// Debian's Boost 1.81 ships Boost.URL without a compiled library: its sources are
// built once here, in the lowest module, for every module that parses or encodes URLs.
#include <boost/url/src.hpp>
