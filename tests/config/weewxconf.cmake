# SPDX-License-Identifier: GPL-3.0-or-later
# The weewx.conf editor, checked against the real ConfigObj (/usr/bin/python3 + python3-configobj).
wmw_add_test(tst_weewxconf SOURCES tst_weewxconf.cpp LIBS config LABELS config)
target_compile_definitions(tst_weewxconf PRIVATE
    WMW_WEEWXCONF_CORPUS="${CMAKE_CURRENT_SOURCE_DIR}/data/weewxconf")
