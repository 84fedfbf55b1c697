# Locates libtorch without TorchConfig.cmake (which, for CUDA builds, insists on a CUDA toolkit that a
# plain `pip install torch` does not have). Order: $COMPOSER_LIBTORCH, then the system (Debian/Ubuntu
# libtorch-dev). COMPOSER_LIBTORCH may be
#   * a libtorch folder (include/ATen/ATen.h, lib/libtorch.so),
#   * a PyTorch installation: the `torch` package folder or the site-packages folder holding it,
#   * a Python interpreter that can `import torch`.
# Sets LIBTORCH_INCLUDE_DIRS, LIBTORCH_LIBRARIES, LIBTORCH_LIBRARY_DIR, LIBTORCH_DEFINITIONS.
# Any failure ends configuration with one message saying how to fix it; the MSBuild target
# surfaces that message as a single build error (it is also written to configure-error.txt).

function(libtorch_fail message)
  file(WRITE "${CMAKE_BINARY_DIR}/configure-error.txt" "${message}")
  message(FATAL_ERROR "${message}")
endfunction()
file(REMOVE "${CMAKE_BINARY_DIR}/configure-error.txt")

set(_install_hint "Install it with `sudo apt-get install -y libtorch-dev` (Debian/Ubuntu), or set COMPOSER_LIBTORCH to a libtorch folder, a PyTorch installation (python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))') or a Python interpreter that has torch.")

set(_hint "$ENV{COMPOSER_LIBTORCH}")
set(_root "")
set(_abi "")
if(_hint)
  if(EXISTS "${_hint}" AND NOT IS_DIRECTORY "${_hint}")
    execute_process(
      COMMAND "${_hint}" -c "import os, torch; print(os.path.dirname(torch.__file__)); print(int(torch._C._GLIBCXX_USE_CXX11_ABI))"
      OUTPUT_VARIABLE _py_out RESULT_VARIABLE _py_rc ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT _py_rc EQUAL 0)
      libtorch_fail("COMPOSER_LIBTORCH=${_hint} is a file but not a Python interpreter that can `import torch`. ${_install_hint}")
    endif()
    string(REPLACE "\n" ";" _py_lines "${_py_out}")
    list(GET _py_lines 0 _hint)
    list(GET _py_lines 1 _abi)
  endif()
  foreach(_candidate "${_hint}" "${_hint}/torch")
    if(EXISTS "${_candidate}/include/ATen/ATen.h" AND EXISTS "${_candidate}/lib")
      set(_root "${_candidate}")
      break()
    endif()
  endforeach()
  if(NOT _root)
    libtorch_fail("COMPOSER_LIBTORCH=${_hint} does not contain libtorch (no include/ATen/ATen.h with a lib/ folder beside it, there or in torch/). ${_install_hint}")
  endif()
  set(LIBTORCH_INCLUDE_DIRS "${_root}/include" "${_root}/include/torch/csrc/api/include")
  set(LIBTORCH_LIBRARY_DIR "${_root}/lib")
  set(_search_paths "${_root}/lib")
  set(_search_opts NO_DEFAULT_PATH)
else()
  find_path(_aten_include ATen/ATen.h PATHS /usr/include /usr/local/include)
  if(NOT _aten_include)
    libtorch_fail("libtorch was not found (no ATen/ATen.h under /usr/include or /usr/local/include, and COMPOSER_LIBTORCH is not set). ${_install_hint}")
  endif()
  set(LIBTORCH_INCLUDE_DIRS "${_aten_include}" "${_aten_include}/torch/csrc/api/include")
  set(_search_paths /usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu /usr/lib /usr/local/lib)
  set(_search_opts "")
endif()

set(LIBTORCH_LIBRARIES "")
foreach(_lib torch torch_cpu c10)
  find_library(_lib_${_lib} NAMES ${_lib} PATHS ${_search_paths} ${_search_opts})
  if(NOT _lib_${_lib})
    libtorch_fail("libtorch headers were found but lib${_lib}.so was not (searched ${_search_paths}). ${_install_hint}")
  endif()
  list(APPEND LIBTORCH_LIBRARIES "${_lib_${_lib}}")
endforeach()
if(NOT LIBTORCH_LIBRARY_DIR)
  get_filename_component(LIBTORCH_LIBRARY_DIR "${_lib_torch}" DIRECTORY)
endif()
# CUDA builds of libtorch ship these two; CPU builds do not.
foreach(_lib torch_cuda c10_cuda)
  find_library(_lib_${_lib} NAMES ${_lib} PATHS ${LIBTORCH_LIBRARY_DIR} NO_DEFAULT_PATH)
  if(_lib_${_lib})
    list(APPEND LIBTORCH_LIBRARIES "${_lib_${_lib}}")
    set(LIBTORCH_HAS_CUDA ON)
  endif()
endforeach()

# The C++ ABI must match the one libtorch was built with. A Python interpreter tells us directly;
# a libtorch folder records it in TorchConfig.cmake; the system build uses the compiler default.
if(_abi STREQUAL "" AND _root AND EXISTS "${_root}/share/cmake/Torch/TorchConfig.cmake")
  file(STRINGS "${_root}/share/cmake/Torch/TorchConfig.cmake" _abi_line REGEX "_GLIBCXX_USE_CXX11_ABI=[01]")
  string(REGEX MATCH "_GLIBCXX_USE_CXX11_ABI=([01])" _ "${_abi_line}")
  set(_abi "${CMAKE_MATCH_1}")
endif()
set(LIBTORCH_DEFINITIONS "")
if(NOT _abi STREQUAL "")
  list(APPEND LIBTORCH_DEFINITIONS "_GLIBCXX_USE_CXX11_ABI=${_abi}")
endif()
message(STATUS "Composer: libtorch headers ${LIBTORCH_INCLUDE_DIRS}, libraries ${LIBTORCH_LIBRARY_DIR} (CUDA: ${LIBTORCH_HAS_CUDA}, ABI flag: '${_abi}')")
