# SPDX-License-Identifier: GPL-3.0-or-later
# FileSet and Plan: per-file actions and redacted diffs.
wmw_add_test(tst_plan SOURCES tst_plan.cpp LIBS config LABELS config)
target_compile_definitions(tst_plan PRIVATE
    WMW_WEEWXCONF_CORPUS="${CMAKE_CURRENT_SOURCE_DIR}/data/weewxconf")
