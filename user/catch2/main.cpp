// Catch2's own main() for every Catch2 test program, compiled once (the header is large). It
// runs every TEST_CASE and returns the number of failed ones, so 0 when all pass.
#define CATCH_CONFIG_MAIN
#include "catch2/catch.hpp"
