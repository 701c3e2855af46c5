// Must NOT compile: a Result dropped on the floor (lint.results_are_nodiscard
// expects the compiler to refuse both calls below).
#include <protocols/error.hpp>

nftterm::protocols::Result<int> answer();
nftterm::wallet::Result<void> write_file();

void caller()
{
    answer();
    write_file();
}
