# CMake toolchain file: cross-compile strata for Windows x86_64 with Debian's
# mingw-w64 (x86_64-w64-mingw32-gcc) and run the test .exe files under wine.
#
# The Windows dependencies (APR, apr-util, expat, bzip2, liblzma, CUnit; all
# static) come from a prefix built by ci/win-deps.sh. Say where it is with
#   -DSTRATA_WIN_DEPS=<prefix>        or the environment variable STRATA_WIN_DEPS.
#
# Layout of that prefix: include/ (APR and apr-util headers directly there, not
# in apr-1/; also zlib, bzlib, lzma, expat, CUnit/), lib/ (libapr-1.a
# libaprutil-1.a libexpat.a libbz2.a liblzma.a libcunit.a and a copy of the
# static libz.a, so -L<prefix>/lib -lz is static) and lib/pkgconfig/ (apr-1
# apr-util-1 expat zlib bzip2 liblzma cunit .pc files with the static flags;
# this file points pkg-config there and nowhere else).
#
# CMAKE_CROSSCOMPILING_EMULATOR is wine: CMake puts it in front of
# add_test(COMMAND <target>) and add_custom_command(COMMAND <target>) (not in
# front of $<TARGET_FILE:...>). The caller sets WINEPREFIX / WINEDEBUG (see
# ci/win-cross.sh).

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(STRATA_MINGW_TRIPLET x86_64-w64-mingw32)

set(CMAKE_C_COMPILER ${STRATA_MINGW_TRIPLET}-gcc)
set(CMAKE_RC_COMPILER ${STRATA_MINGW_TRIPLET}-windres)
find_program(STRATA_MINGW_CXX ${STRATA_MINGW_TRIPLET}-g++)
if(STRATA_MINGW_CXX)
  set(CMAKE_CXX_COMPILER ${STRATA_MINGW_CXX})
endif()

# The deps prefix: -D wins over the environment. This file is read again for
# every try_compile, where only the environment and the variables listed in
# CMAKE_TRY_COMPILE_PLATFORM_VARIABLES survive, so pass it on both ways.
if(NOT STRATA_WIN_DEPS AND DEFINED ENV{STRATA_WIN_DEPS})
  set(STRATA_WIN_DEPS "$ENV{STRATA_WIN_DEPS}")
endif()
if(STRATA_WIN_DEPS)
  set(STRATA_WIN_DEPS "${STRATA_WIN_DEPS}" CACHE PATH "Windows deps prefix from ci/win-deps.sh")
  set(ENV{STRATA_WIN_DEPS} "${STRATA_WIN_DEPS}")
endif()
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES STRATA_WIN_DEPS)

# Look for target headers and libraries only in the mingw sysroot and the deps
# prefix; look for programs (wine, pkg-config, ...) on the build machine.
# The deps prefix comes first so its libz.a is found before the sysroot's
# libz.dll.a (it carries a copy of the static zlib for that reason).
set(CMAKE_FIND_ROOT_PATH ${STRATA_WIN_DEPS} /usr/${STRATA_MINGW_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config must never answer with the build machine's (Linux) APR.
if(STRATA_WIN_DEPS)
  set(ENV{PKG_CONFIG_LIBDIR} "${STRATA_WIN_DEPS}/lib/pkgconfig")
else()
  set(ENV{PKG_CONFIG_LIBDIR} "/usr/${STRATA_MINGW_TRIPLET}/lib/pkgconfig")
endif()
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")

# Run target programs (ctest, try_run) under wine.
if(NOT CMAKE_CROSSCOMPILING_EMULATOR)
  find_program(STRATA_WINE NAMES wine wine64)
  if(STRATA_WINE)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${STRATA_WINE})
  else()
    set(CMAKE_CROSSCOMPILING_EMULATOR wine)
  endif()
endif()
