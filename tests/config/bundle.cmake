# SPDX-License-Identifier: GPL-3.0-or-later
# The export bundle's contents; its weewx.conf edit run by the real ConfigObj on the corpus.
wmw_add_test(tst_bundle SOURCES tst_bundle.cpp LIBS config LABELS config)
target_compile_definitions(tst_bundle PRIVATE
    WMW_WEEWXCONF_CORPUS="${CMAKE_CURRENT_SOURCE_DIR}/data/weewxconf"
    WMW_WEEWXCONF_FUZZ_CORPUS="${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/weewxconf")
