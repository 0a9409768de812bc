# Records what built this binary (version, git sha, build type, compiler) so that every result folder
# can say where it came from. The sha is read at configure time; a dirty tree is marked.
find_package(Git QUIET)
set(CATHODELAB_GIT_SHA "unknown")
if(GIT_FOUND AND EXISTS ${PROJECT_SOURCE_DIR}/.git)
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --short=12 HEAD
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} OUTPUT_VARIABLE CATHODELAB_GIT_SHA
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  execute_process(COMMAND ${GIT_EXECUTABLE} status --porcelain --untracked-files=no
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} OUTPUT_VARIABLE _dirty ERROR_QUIET)
  if(_dirty)
    string(APPEND CATHODELAB_GIT_SHA "-dirty")
  endif()
  if(NOT CATHODELAB_GIT_SHA)
    set(CATHODELAB_GIT_SHA "unknown")
  endif()
endif()
