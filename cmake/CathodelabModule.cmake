# cathodelab_module(<name> LEVEL <n> [DEPENDS <module>...] [PRIVATE_LIBS <target>...] [PUBLIC_LIBS <target>...])
#
# One module = one folder = one namespace = one CMake target `cathodelab_<name>` (alias
# `cathodelab::<name>`). Sources are every .cpp below src/<name>/; public headers live in
# include/cathodelab/<name>/. DEPENDS names the cathodelab modules whose headers this module may
# include; tools/check_layering.py reads these declarations and rejects any other include and any
# dependency that does not point to a lower level. Third-party libraries go in PRIVATE_LIBS so their
# types stay inside the module.
function(cathodelab_module name)
  cmake_parse_arguments(ARG "" "LEVEL" "DEPENDS;PRIVATE_LIBS;PUBLIC_LIBS" ${ARGN})
  if(NOT DEFINED ARG_LEVEL)
    message(FATAL_ERROR "cathodelab_module(${name}) needs LEVEL")
  endif()
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cpp)
  set(target cathodelab_${name})
  if(sources)
    add_library(${target} STATIC ${sources})
    target_include_directories(${target}
      PUBLIC ${PROJECT_SOURCE_DIR}/include
      PRIVATE ${PROJECT_SOURCE_DIR}/src)
    foreach(dep IN LISTS ARG_DEPENDS)
      target_link_libraries(${target} PUBLIC cathodelab_${dep})
    endforeach()
    target_link_libraries(${target} PRIVATE ${ARG_PRIVATE_LIBS} PUBLIC ${ARG_PUBLIC_LIBS})
    cathodelab_target_options(${target})
  else()
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE ${PROJECT_SOURCE_DIR}/include)
    foreach(dep IN LISTS ARG_DEPENDS)
      target_link_libraries(${target} INTERFACE cathodelab_${dep})
    endforeach()
  endif()
  add_library(cathodelab::${name} ALIAS ${target})
endfunction()

# Warnings, OpenMP and sanitizers for one of our own targets (never global flags).
function(cathodelab_target_options target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
    -Wno-sign-conversion -Wno-missing-field-initializers -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual -Wnull-dereference)
  # Options structs with defaulted members are filled with designated initializers on purpose, hence
  # -Wno-missing-field-initializers above.
  # GCC 12 reports false -Wrestrict positives on `"literal" + std::string` at -O2/-O3 (GCC bug 105329).
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(CATHODELAB_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  target_link_libraries(${target} PUBLIC OpenMP::OpenMP_CXX)
  # -fsanitize=undefined leaves out float-cast-overflow (a double out of an integer's range is UB), so
  # it is named; -fno-sanitize-recover makes every UB finding stop the process like an ASan one.
  if(CATHODELAB_SANITIZE)
    target_compile_options(${target} PUBLIC -fsanitize=address,undefined,float-cast-overflow
      -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(${target} PUBLIC -fsanitize=address,undefined,float-cast-overflow)
  endif()
endfunction()
