# Splitting the "NAME|REGEX" cases of the CLI bad-input tests.
include_guard(GLOBAL)

# cathodelab_split_case("NAME|REGEX" name_var regex_var): splits a case at its first '|'. A ';'
# in the regex would split the test's command line (CMake lists), so it travels as %3B and
# expect_input_error.sh turns it back.
function(cathodelab_split_case case name_var regex_var)
  string(FIND "${case}" "|" _bar)
  string(SUBSTRING "${case}" 0 ${_bar} _name)
  math(EXPR _start "${_bar} + 1")
  string(SUBSTRING "${case}" ${_start} -1 _regex)
  string(REPLACE ";" "%3B" _regex "${_regex}")
  set(${name_var} "${_name}" PARENT_SCOPE)
  set(${regex_var} "${_regex}" PARENT_SCOPE)
endfunction()
